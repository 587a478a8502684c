import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DEFAULT_LOCKOUT, lockPeriod } from '../../../src/domain/lockout.js';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/**
 * An RDM6300 repeats a frame about every 50 ms and a different card is always a new
 * presentation, so one read per 50 ms is the most a reader can deliver.
 */
const FULL_RATE_MS = 50;

const randomCard = fc
  .stringMatching(/^[0-9A-F]{10}$/)
  .filter((c) => c !== ALICE_CARD && c !== BOB_CARD);

/** What the reader must do with the i-th card, from the settings alone. */
function expectedOutcomes(count: number): { reasons: string[]; durations: number[] } {
  const reasons: string[] = [];
  const durations: number[] = [];
  let lockedUntil = -1;
  let counted = 0;
  for (let i = 0; i < count; i++) {
    const t = i * FULL_RATE_MS;
    if (t < lockedUntil) {
      reasons.push('locked_out');
      continue;
    }
    reasons.push('unknown_card');
    counted++;
    const { attempts, lockMs } = lockPeriod(DEFAULT_LOCKOUT, durations.length);
    if (counted === attempts) {
      durations.push(lockMs / 1000);
      lockedUntil = t + lockMs;
      counted = 0;
    }
  }
  return { reasons, durations };
}

it('1,000 random cards at the reader’s full rate: none granted, the reader locks as configured', () => {
  const expected = expectedOutcomes(1_000);
  fc.assert(
    fc.property(fc.array(randomCard, { minLength: 1_000, maxLength: 1_000 }), (cards) => {
      const s = new CabinetScenario();
      for (const card of cards) {
        s.send({ kind: 'badge', card });
        s.advance(FULL_RATE_MS);
      }
      expect(s.eventTypes()).not.toContain('access.granted');
      const reasons = s.events.flatMap((e) => (e.type === 'access.denied' ? [e.data.reason] : []));
      // Cards refused during a lockout are counted, not recorded one by one (card-flood.ts).
      expect(reasons).toEqual(expected.reasons.filter((r) => r === 'unknown_card'));
      const counted = s.events.flatMap((e) =>
        e.type === 'lockout.ended' ? [e.data.refusedCards ?? 0] : [],
      );
      const refused = counted.reduce((a, b) => a + b, 0) + (s.state.cardFlood?.refused ?? 0);
      expect(refused).toBe(expected.reasons.filter((r) => r === 'locked_out').length);
      const started = s.events.flatMap((e) => (e.type === 'lockout.started' ? [e.data] : []));
      expect(started.map((l) => l.durationSeconds)).toEqual(expected.durations);
      expect(started.every((l) => l.subject === 'reader')).toBe(true);
      // Only the first three cards and the few between lockouts were ever looked at.
      expect(reasons.filter((r) => r === 'unknown_card')).toHaveLength(
        3 + 2 * (started.length - 1),
      );
    }),
    { numRuns: 5 },
  );
  // 50 s of cards: 10 s + 30 s of lockout leave room for a third lockout of 60 s, and no more.
  expect(expected.durations).toEqual([10, 30, 60]);
});
