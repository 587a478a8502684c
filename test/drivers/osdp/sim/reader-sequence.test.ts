import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../../drivers/osdp/frame-decoder.js';
import { SimulatedOsdpReader } from '../../../../drivers/osdp/sim/index.js';
import { busNoise, frameFields } from '../helpers/frames.js';
import { bytes, hex } from '../helpers/hex.js';
import { TestControlPanel } from './helpers/control-panel.js';
import { FakeTimers } from '../../gpio/fake-timers.js';

function setUp() {
  const clock = new FakeTimers();
  const reader = new SimulatedOsdpReader({ address: 2, clock });
  const cp = new TestControlPanel(reader, 2);
  return { clock, reader, cp };
}

const nakReason = (sent: { frames: { code: number; data: Uint8Array }[] }) =>
  sent.frames[0]?.code === 0x41 ? sent.frames[0].data[0] : undefined;

describe('sequence numbers, as a reader keeps them', () => {
  it('a conversation must start with 0', () => {
    const { cp } = setUp();
    cp.sequence = 1;
    expect(nakReason(cp.command({ kind: 'POLL' }))).toBe(4);
    cp.sequence = 0;
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
  });

  it('the same command again with the same number: the last reply again, unchanged', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    reader.presentCard({ format: 'H10301', facility: 12, card: 34567 });
    const command = cp.frame({ kind: 'POLL' });
    const first = cp.send(command);
    const again = cp.send(command);
    expect(first.frames[0]?.code).toBe(0x50);
    expect(hex(again.bytes)).toBe(hex(first.bytes));
    // The card was reported once: the next number gets the next event (none).
    cp.sequence = 2;
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
  });

  it('another command with the last number, or a number skipped: NAK 4, nothing done', () => {
    const { cp, reader } = setUp();
    cp.command({ kind: 'POLL' });
    cp.command({ kind: 'POLL' });
    cp.sequence = 1;
    const sent = cp.command({
      kind: 'BUZ',
      buzzer: { reader: 0, tone: 2, onTime: 1, offTime: 0, count: 0 },
    });
    expect(nakReason(sent)).toBe(4);
    expect(reader.buzzer().active).toBe(false);
    cp.sequence = 3;
    expect(nakReason(cp.command({ kind: 'POLL' }))).toBe(4);
    cp.sequence = 2;
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
  });

  it('sequence 0 starts over at any time', () => {
    const { cp } = setUp();
    cp.command({ kind: 'POLL' });
    cp.command({ kind: 'POLL' });
    cp.sequence = 0;
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
    expect(cp.command({ kind: 'POLL' }).frames[0]?.sequence).toBe(1);
  });
});

describe('reading the bus', () => {
  it('takes a command in any chunking, after noise, and answers once', () => {
    const { cp } = setUp();
    const command = cp.frame({ kind: 'POLL' });
    const from = cp.line.length;
    cp.send(bytes('00 a5 13'));
    for (const byte of command) cp.send(Uint8Array.of(byte));
    expect(cp.collect(from).frames.map((f) => f.code)).toEqual([0x40]);
  });

  it('a pause drops a frame cut off, so the next command is heard', () => {
    const { cp, clock } = setUp();
    // A false SOM announcing 64 bytes: without the pause, the command after it would be held.
    cp.send(bytes('53 02 40 00 04'));
    clock.advance(200);
    expect(cp.command({ kind: 'POLL' }).frames[0]?.code).toBe(0x40);
  });
});

describe('whatever arrives on the bus', () => {
  it('never throws, and puts only whole reply frames on the line', () => {
    const anything = fc.array(
      fc.oneof(
        busNoise(64),
        frameFields(40).map((fields) => encodeFrame({ ...fields, address: fields.address % 4 })),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(anything, (chunks) => {
        const { reader, cp } = setUp();
        reader.presentCard({ format: 'H10301', facility: 1, card: 2 });
        for (const chunk of chunks) cp.send(chunk);
        const outputs = new FrameDecoder().push(cp.collect().bytes);
        expect(
          outputs.every((o) => o.kind === 'frame' && o.frame.reply && o.frame.address === 2),
        ).toBe(true);
      }),
    );
  });
});
