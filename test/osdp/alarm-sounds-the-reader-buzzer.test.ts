import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuzzerView } from '../../drivers/osdp/sim/index.js';
import { simPost } from '../support/daemon-process.js';
import { OsdpCabinet } from '../support/osdp-cabinet.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The feedback's alarm over the real path (drivers/osdp/cabinet/feedback.ts, docs/osdp.md
 * "Tamper and feedback"): the built daemon, its secured OSDP bus on a socat pty, the PD
 * simulator at the other end. A door forced open raises an alarm that sounds (alarm-signals),
 * so the badge reader blinks red fast and its buzzer sounds once for 2 s (one beep of 20
 * units of 100 ms); it falls silent by itself, and clearing the alarm sounds nothing more.
 * Left open, the door chirps (one 100 ms beep a second) in the last 5 s before the held-open
 * time (the config's defaults: 20 s, pre-alarm 5 s), then door.held_open beeps 2 s again.
 */
let cabinet: OsdpCabinet;
beforeAll(async () => {
  cabinet = await OsdpCabinet.start({ secure: 'on' });
}, 60_000);
afterAll(() => cabinet?.stop());

/**
 * The beeps the reader was told to sound, read from its buzzer after every command it is sent
 * (the simulator's `indicators` event; it names no command). A command that leaves the buzzer
 * sounding started a beep when it was silent before, or when the beep it showed before has had
 * its time (one chirp a second looks sounding at every command, each a new one).
 */
function buzzerLog(reader: ReturnType<OsdpCabinet['reader']>) {
  const views: Array<{ view: BuzzerView; at: number }> = [];
  const listener = () => views.push({ view: reader.buzzer(), at: Date.now() });
  reader.on('indicators', listener);
  const started = (): BuzzerView[] =>
    views
      .filter(({ view, at }, i) => {
        const before = views[i - 1];
        if (!view.active) return false;
        if (before === undefined || !before.view.active) return true;
        return at >= before.at + before.view.onTime * 100;
      })
      .map(({ view }) => view);
  return { started, stop: () => reader.off('indicators', listener) };
}

it('a door forced: the reader beeps 2 s and blinks red, then is silent; cleared, no new beep', async () => {
  const reader = cabinet.reader();
  const buzzer = buzzerLog(reader);
  const beeps = (): number => buzzer.started().length;
  expect(reader.buzzer().active).toBe(false);

  const url = cabinet.daemon.simUrl();
  await simPost(url, '/door', { action: 'force' });
  await waitFor(() => cabinet.ofType('door.forced').length === 1, 'door.forced raised');
  await waitFor(() => beeps() === 1, 'the reader buzzer sounding');
  expect(buzzer.started()[0]).toEqual({
    active: true,
    onTime: 20,
    offTime: 0,
    count: 1,
  });
  expect(reader.led()).toMatchObject({ flashing: true, onColor: 'red', temporary: true });

  // The beep ends by itself after its 2 s, while the door is still open.
  await waitFor(() => !reader.buzzer().active, 'the buzzer silent after its 2 s', 10_000);
  expect(cabinet.ofType('alarm.cleared')).toHaveLength(0);

  await simPost(url, '/door', { action: 'close' });
  await waitFor(() => cabinet.ofType('alarm.cleared').length === 1, 'alarm.cleared');
  expect(cabinet.ofType('alarm.cleared')[0]?.data).toMatchObject({ alarm: 'door.forced' });
  // Whatever the clearing showed on the reader has reached it once the red blink is over.
  await waitFor(() => !reader.led().temporary, 'the red blink over', 10_000);
  expect(reader.buzzer().active).toBe(false);
  expect(beeps()).toBe(1);
  buzzer.stop();
}, 40_000);

it('a door left open: chirps before the held-open time, then the alarm beep', async () => {
  const reader = cabinet.reader();
  const buzzer = buzzerLog(reader);
  const url = cabinet.daemon.simUrl();
  const forcedBefore = cabinet.ofType('door.forced').length;
  await simPost(url, '/door', { action: 'force' });
  await waitFor(() => cabinet.ofType('door.forced').length === forcedBefore + 1, 'door.forced');
  await waitFor(() => cabinet.ofType('door.held_open').length === 1, 'door.held_open', 30_000);
  await waitFor(() => buzzer.started().at(-1)?.onTime === 20, 'the held-open beep', 10_000);

  const started = buzzer.started();
  // The forced door's beep, the chirps of the last seconds, then the held-open alarm's beep.
  expect(started[0]).toMatchObject({ onTime: 20, offTime: 0, count: 1 });
  const chirps = started.slice(1, -1);
  expect(chirps.length).toBeGreaterThanOrEqual(2);
  for (const chirp of chirps)
    expect(chirp).toEqual({ active: true, onTime: 1, offTime: 0, count: 1 });
  expect(started.at(-1)).toEqual({ active: true, onTime: 20, offTime: 0, count: 1 });

  await simPost(url, '/door', { action: 'close' });
  await waitFor(
    () =>
      cabinet
        .ofType('alarm.cleared')
        .some((e) => (e.data as { alarm: string }).alarm === 'door.held_open'),
    'door.held_open cleared',
  );
  await waitFor(() => !reader.buzzer().active && !reader.led().temporary, 'the reader quiet');
  expect(buzzer.started()).toHaveLength(started.length);
  buzzer.stop();
}, 60_000);
