import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import { DEFAULT_LOCKOUT, lockPeriod } from '../../src/domain/lockout.js';
import { encodeRdm6300 } from '../../src/sim/reader-frames.js';
import { FULL_RUN } from '../support/fault-rig.js';
import { recordFaultOutcome } from '../support/fault-summary.js';
import { PtyCabinet } from '../support/pty-cabinet.js';
import { ALICE } from '../support/seed.js';
import { pace, waitFor } from '../support/wait-for.js';

const CARDS = FULL_RUN ? 1_000 : 400;
/**
 * An RDM6300 frame is 14 bytes at 9600 baud 8N1 (10 bits a byte): 14.6 ms on the wire, about
 * 68 frames a second, the most the reader can send. A socat pty does not enforce the baud
 * rate, so the writes are paced to it.
 */
const FRAME_MS = (14 * 10 * 1000) / 9600;

let cabinet: PtyCabinet;
beforeAll(async () => {
  cabinet = await PtyCabinet.start();
}, 60_000);
afterAll(() => cabinet?.stop());

/** Writes the frames at the wire rate, in small batches so timers are not the bottleneck. */
async function sendAtWireRate(frames: Buffer[]): Promise<void> {
  const started = performance.now();
  let sent = 0;
  while (sent < frames.length) {
    const due = Math.min(frames.length, Math.floor((performance.now() - started) / FRAME_MS) + 1);
    if (due > sent) {
      await cabinet.badge.writeToDevice(Buffer.concat(frames.slice(sent, due)));
      sent = due;
    }
    await pace(FRAME_MS * 4, 'frames no faster than the wire carries them');
  }
}

interface Lockout {
  level: number;
  attempts: number;
  durationSeconds: number;
  monotonicMs: number;
}

/**
 * Checks the denials against the configured escalation, from the events alone: while the
 * reader is unlocked every card is looked up (`unknown_card`) and exactly the level's number of
 * them starts the next lockout; while it is locked every card is refused for at least the
 * lockout's period (monotonic time, as the daemon measures it), counted in its `lockout.ended`
 * (`refusedCards`) rather than recorded one by one (src/domain/card-flood.ts).
 */
function checkEscalation(events: RecordedEvent[]): Lockout[] {
  const lockouts: Lockout[] = [];
  let counted = 0;
  let lockedSince: Lockout | null = null;
  for (const event of events) {
    if (event.type === 'lockout.started') {
      const data = event.data as Omit<Lockout, 'monotonicMs'> & { subject: string };
      const expected = lockPeriod(DEFAULT_LOCKOUT, lockouts.length);
      expect(data).toMatchObject({
        subject: 'reader',
        level: lockouts.length + 1,
        attempts: expected.attempts,
        durationSeconds: expected.lockMs / 1000,
      });
      expect(counted).toBe(expected.attempts);
      lockedSince = { ...data, monotonicMs: event.monotonicMs };
      lockouts.push(lockedSince);
      counted = 0;
    }
    if (event.type !== 'access.denied') continue;
    const { reason } = event.data as { reason: string };
    if (lockedSince && reason === 'unknown_card') {
      // The first card looked at again: the lockout has run its full period.
      expect(event.monotonicMs - lockedSince.monotonicMs).toBeGreaterThanOrEqual(
        lockedSince.durationSeconds * 1000,
      );
      lockedSince = null;
    }
    expect(reason).toBe('unknown_card');
    counted += 1;
  }
  return lockouts;
}

it(`${CARDS} random card numbers at the RDM6300's full rate through a real pty: the reader locks out as configured, nothing is granted`, async () => {
  const cards = fc.sample(
    fc.uniqueArray(
      fc.stringMatching(/^[0-9A-F]{10}$/).filter((c) => c !== ALICE),
      { minLength: CARDS, maxLength: CARDS },
    ),
    1,
  )[0]!;
  const before = cabinet.events().at(-1)?.seq ?? 0;
  const started = performance.now();
  await sendAtWireRate(cards.map(encodeRdm6300));
  const sendMs = performance.now() - started;

  // Each card is a different presentation, so each is exactly one recorded denial, or one
  // counted in the `lockout.ended` of the lockout it fell into: wait for the last one to end.
  const since = () => cabinet.events().filter((e) => e.seq > before);
  const count = (type: string) => since().filter((e) => e.type === type).length;
  await waitFor(
    () => count('lockout.started') > 0 && count('lockout.ended') === count('lockout.started'),
    'every lockout to end',
    60_000,
  ).catch(() => undefined);
  const events = since();
  const denied = events.filter((e) => e.type === 'access.denied');
  const refused = events
    .flatMap((e) => (e.type === 'lockout.ended' ? [e.data as { refusedCards?: number }] : []))
    .reduce((sum, d) => sum + (d.refusedCards ?? 0), 0);
  const granted = events.filter((e) => e.type === 'access.granted');
  const releases = cabinet.stream.releases.length;
  recordFaultOutcome({
    scenario: 'random-cards-at-full-rate',
    injections: CARDS,
    eventsChecked: events.length,
    eventsLost: CARDS - denied.length - refused,
    keysWronglyReleased: releases,
    crashes: cabinet.daemon.crashes,
  });

  expect(sendMs).toBeGreaterThanOrEqual(CARDS * FRAME_MS * 0.9); // really at the wire rate
  expect(denied.length + refused).toBe(CARDS);
  // One alarm for the flood; a handful of events per lockout, not one per card.
  expect(events.filter((e) => e.type === 'reader.card_flood')).toHaveLength(1);
  // 3 + 2 per further lockout looked at, its start and end, and the one alarm.
  expect(events.length).toBeLessThanOrEqual(4 * count('lockout.started') + 2);
  expect(granted).toEqual([]);
  expect(cabinet.stream.releases).toEqual([]);
  const lockouts = checkEscalation(events);
  // Paced at the wire rate, the cards span sendMs: each lockout whose turn came must start.
  let expectedLockouts = 0;
  for (let at = 0, n = 0; ; n++) {
    const level = lockPeriod(DEFAULT_LOCKOUT, n);
    at += level.attempts * FRAME_MS;
    if (at > sendMs * 0.9) break;
    expectedLockouts += 1;
    at += level.lockMs;
  }
  expect(lockouts.length).toBeGreaterThanOrEqual(expectedLockouts);
  expect(cabinet.daemon.crashes).toBe(0);
}, 120_000);
