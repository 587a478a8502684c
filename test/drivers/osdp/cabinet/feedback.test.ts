import { describe, expect, it } from 'vitest';
import {
  feedbackCommands,
  OsdpFeedback,
  type ReaderSignal,
} from '../../../../drivers/osdp/cabinet/feedback.js';
import { encodeCommand, LedColor } from '../../../../drivers/osdp/commands.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { FakeOsdpBus } from '../../../support/fake-osdp-bus.js';

const SETTINGS = { reader: 0, entryMs: 20_000 };
const ALL: ReaderSignal[] = [
  'granted',
  'denied',
  'session_ended',
  'alarm',
  'awaiting_entry',
  'pre_alarm',
];

describe('the signals as LED and buzzer commands', () => {
  it('granted is steady green, the session end dark, both cancelling any blink', () => {
    for (const [signal, color] of [
      ['granted', LedColor.GREEN],
      ['session_ended', LedColor.BLACK],
    ] as const) {
      expect(feedbackCommands(signal, SETTINGS)).toEqual([
        {
          kind: 'LED',
          leds: [
            {
              reader: 0,
              led: 0,
              temporary: { control: 1, onTime: 0, offTime: 0, onColor: 0, offColor: 0, timer: 0 },
              permanent: { control: 1, onTime: 0, offTime: 0, onColor: color, offColor: color },
            },
          ],
        },
      ]);
    }
  });

  it('denied blinks red for 1 s, leaving the permanent state alone', () => {
    const [led] = feedbackCommands('denied', SETTINGS);
    expect(led).toMatchObject({
      kind: 'LED',
      leds: [
        {
          temporary: { control: 2, onColor: LedColor.RED, offColor: LedColor.BLACK, timer: 10 },
          permanent: { control: 0 },
        },
      ],
    });
  });

  it('awaiting PIN blinks amber for the entry time', () => {
    expect(feedbackCommands('awaiting_entry', SETTINGS)).toMatchObject([
      { kind: 'LED', leds: [{ temporary: { control: 2, onColor: LedColor.AMBER, timer: 200 } }] },
    ]);
  });

  it('the alarm is red with the buzzer for 2 s; the pre-alarm one 100 ms chirp', () => {
    expect(feedbackCommands('alarm', SETTINGS)).toMatchObject([
      { kind: 'LED', leds: [{ temporary: { control: 2, onColor: LedColor.RED, timer: 20 } }] },
      { kind: 'BUZ', buzzer: { tone: 2, onTime: 20, offTime: 0, count: 1 } },
    ]);
    expect(feedbackCommands('pre_alarm', SETTINGS)).toEqual([
      { kind: 'BUZ', buzzer: { reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 } },
    ]);
  });

  it('every command of every signal encodes (in range for the wire)', () => {
    for (const signal of ALL) {
      for (const command of feedbackCommands(signal, { reader: 1, entryMs: 120_000 })) {
        expect(() => encodeCommand(command)).not.toThrow();
      }
    }
    // An absurd entry time is clamped into the 16-bit timer.
    const [long] = feedbackCommands('awaiting_entry', { reader: 0, entryMs: 10_000_000 });
    expect(() => encodeCommand(long!)).not.toThrow();
  });
});

describe('sending the signals to the badge reader', () => {
  const rig = () => {
    const bus = new FakeOsdpBus();
    const feedback = new OsdpFeedback({ ...SETTINGS, bus, address: 2, logger: silentLogger() });
    return { bus, feedback };
  };

  it('goes to the badge reader between polls', () => {
    const { bus, feedback } = rig();
    bus.online.add(2);
    expect(feedback.show('alarm')).toBe(true);
    expect(bus.sent.map((s) => [s.address, s.command.kind])).toEqual([
      [2, 'LED'],
      [2, 'BUZ'],
    ]);
  });

  it('a reader offline when a signal comes: dropped, not queued, and said so', () => {
    const { bus, feedback } = rig();
    expect(feedback.show('granted')).toBe(false);
    bus.bringOnline(2);
    expect(bus.sent).toEqual([]);
  });

  it('a reader that stops answering: signals beyond a few pending are dropped', async () => {
    const { bus, feedback } = rig();
    bus.online.add(2);
    bus.hold();
    expect(feedback.show('alarm')).toBe(true); // 2 pending
    expect(feedback.show('alarm')).toBe(true); // 4 pending
    expect(feedback.show('denied')).toBe(false);
    expect(bus.sent).toHaveLength(4);
    bus.release();
    await expect.poll(() => feedback.show('denied')).toBe(true);
  });

  it('a send the bus rejects is no unhandled rejection', async () => {
    const { bus, feedback } = rig();
    bus.online.add(2);
    const send = bus.send.bind(bus);
    bus.send = (address, command) =>
      send(address, command).then(() => Promise.reject(new Error('no reply')));
    expect(feedback.show('denied')).toBe(true);
    await expect.poll(() => feedback.show('denied')).toBe(true);
  });
});
