import { describe, expect, it } from 'vitest';
import { expiriesBetween, type ValidityEnd } from '../../../src/domain/policy/expiries.js';
import { FakeClock } from '../../support/fake-clock.js';

const END = Date.parse('2026-12-05T18:00:00Z');
const ends: ValidityEnd[] = [
  { kind: 'holder', id: 3, holderId: 3, untilMs: END },
  { kind: 'credential', id: 30, holderId: 3, untilMs: END + 60_000 },
  { kind: 'grant', id: 100, holderId: null, untilMs: END - 1 },
];
const source = { validityEndsBetween: () => ends };

describe('expiriesBetween', () => {
  it('reports an end at the tick that reaches its instant, once', () => {
    const clock = new FakeClock(END - 1_001);
    let previous = clock.wallMs();
    const seen: ValidityEnd[][] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(500);
      seen.push(expiriesBetween(previous, clock.wallMs(), source));
      previous = clock.wallMs();
    }
    // Ticks end at END-501, END-1, END+499, END+999: the grant at END-1, the holder at END.
    expect(seen.map((s) => s.map((e) => e.kind))).toEqual([[], ['grant'], ['holder'], []]);
  });

  it('reports everything missed during a stop, oldest first, and nothing after a step back', () => {
    expect(expiriesBetween(END - 10_000, END + 120_000, source).map((e) => e.id)).toEqual([
      100, 3, 30,
    ]);
    expect(expiriesBetween(END + 1, END - 5_000, source)).toEqual([]);
  });
});
