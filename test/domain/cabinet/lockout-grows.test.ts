import { expect, it } from 'vitest';
import type { NewEvent } from '../../../src/domain/events.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const badge = { kind: 'badge', card: ALICE_CARD } as const;

function disabledAlice(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  return s;
}

function lockouts(s: CabinetScenario): Extract<NewEvent, { type: 'lockout.started' }>['data'][] {
  return s.events.flatMap((e) => (e.type === 'lockout.started' ? [e.data] : []));
}

/** Badges until a lockout starts, then waits it out; returns how many badges it took. */
function lockAndWait(s: CabinetScenario): number {
  const before = lockouts(s).length;
  let tries = 0;
  while (lockouts(s).length === before) {
    s.send(badge);
    tries++;
  }
  const last = lockouts(s).at(-1);
  s.advance((last?.durationSeconds ?? 0) * 1000);
  return tries;
}

it('by default: 3 tries → 10 s, then 2 more (5 in all) → 30 s, then 60 s, 120 s … up to 15 min', () => {
  const s = disabledAlice();
  const tries = Array.from({ length: 8 }, () => lockAndWait(s));
  expect(tries).toEqual([3, 2, 2, 2, 2, 2, 2, 2]);
  expect(lockouts(s).map((l) => l.durationSeconds)).toEqual([10, 30, 60, 120, 240, 480, 900, 900]);
  expect(lockouts(s).map((l) => l.level)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(s.eventTypes().filter((t) => t === 'lockout.ended')).toHaveLength(8);
});

it('the escalation is configurable', () => {
  const s = disabledAlice();
  s.settings.lockout = {
    windowMs: 30_000,
    levels: [{ attempts: 5, lockMs: 60_000 }],
    maxLockMs: 200_000,
    maxWrongPins: 5,
    forgetAfterMs: 3_600_000,
  };
  const tries = Array.from({ length: 3 }, () => lockAndWait(s));
  expect(tries).toEqual([5, 5, 5]);
  expect(lockouts(s).map((l) => l.durationSeconds)).toEqual([60, 120, 200]);
});

it('an hour without a lockout starts the escalation again; a minute less does not', () => {
  const s = disabledAlice();
  lockAndWait(s); // started at t0, ended at t0 + 10 s
  s.advance(3_600_000 - 10_000 - 1);
  lockAndWait(s);
  expect(lockouts(s).at(-1)?.durationSeconds).toBe(30);

  const t = disabledAlice();
  lockAndWait(t);
  t.advance(3_600_000 - 10_000);
  expect(lockAndWait(t)).toBe(3);
  expect(lockouts(t).at(-1)).toMatchObject({ level: 1, durationSeconds: 10 });
});

it('a grant forgets the credential’s denials and lockouts', () => {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  lockAndWait(s);
  s.send(badge); // one denial counted towards the second lockout
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: true };
  s.send(badge);
  expect(s.eventTypes().at(-1)).toBe('access.granted');
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  expect(lockAndWait(s)).toBe(3);
  expect(lockouts(s).at(-1)).toMatchObject({ level: 1, durationSeconds: 10 });
});
