import { expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/domain/cabinet-state.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const MINUTE = 60_000;

/** Alice takes key K-1 (slot 1), which may be out 60 minutes; her session then ends. */
function aliceTakesKey1(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.keys[0]!.maxLoanMinutes = 60;
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.advance(10_000);
  return s;
}

it('a check-out carries its due time: the strictest of the key’s, the group’s and the permission’s', () => {
  const s = new CabinetScenario();
  const outAt = s.clock.wallMs();
  s.directory.keys[0]!.maxLoanMinutes = 60;
  s.directory.memberships.push([1, 9]);
  s.directory.groupLimits.set(9, 30);
  s.directory.permissions[0]!.maxLoanMinutes = 45;
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  expect(s.events.at(-1)).toMatchObject({
    type: 'key.checked_out',
    data: { keyId: 100, dueAt: new Date(outAt + 30 * MINUTE).toISOString() },
  });
});

it('a key with no limit anywhere has no due time and is never overdue', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  expect(s.events.at(-1)).toMatchObject({ type: 'key.checked_out', data: { dueAt: null } });
  s.advance(48 * 60 * MINUTE);
  expect(s.eventTypes()).not.toContain('key.overdue');
});

it('key.overdue once at the due instant, not a millisecond before; quiet; cleared on return', () => {
  const s = aliceTakesKey1();
  s.advance(60 * MINUTE - 10_000 - 1);
  expect(s.eventTypes()).not.toContain('key.overdue');
  const atDue = s.advance(1);
  expect(s.events.at(-1)).toMatchObject({
    type: 'key.overdue',
    data: { keyId: 100, holderId: 1, holderName: 'Alice', slot: 1 },
  });
  // Listed as an alarm, but the buzzer stays quiet for an overdue key.
  expect(atDue).not.toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms).toMatchObject([{ type: 'key.overdue', slot: 1 }]);
  s.advance(1_000);
  expect(s.eventTypes().filter((t) => t === 'key.overdue')).toHaveLength(1);

  s.send({ kind: 'badge', card: ALICE_CARD });
  s.insert(1, 'AA00000001');
  expect(s.eventTypes().slice(-2)).toEqual(['alarm.cleared', 'key.checked_in']);
  expect(s.state.alarms).toEqual([]);
});

it('reminders follow at the configured interval until the key is back', () => {
  const s = aliceTakesKey1();
  s.settings.policy = { ...DEFAULT_POLICY, overdueReminderMs: 15 * MINUTE };
  s.advance(60 * MINUTE); // overdue
  for (let i = 0; i < 45; i++) s.advance(MINUTE);
  const reminders = s.events.filter((e) => e.type === 'key.overdue_reminder');
  expect(reminders.map((e) => (e.data as { overdueMinutes: number }).overdueMinutes)).toEqual([
    15, 30, 45,
  ]);
});

it('an overdue key announced before a restart is not announced again, only reminded', () => {
  const s = aliceTakesKey1();
  s.advance(60 * MINUTE);
  expect(s.directory.loans[0]?.overdueAnnounced).toBe(true);
  // The restart: a fresh state over the same directory.
  s.state = { ...s.state, overdue: {} };
  s.advance(1_000);
  expect(s.eventTypes().filter((t) => t === 'key.overdue')).toHaveLength(1);
  s.advance(60 * MINUTE);
  expect(s.eventTypes()).toContain('key.overdue_reminder');
});

it('a holder with an overdue key gets the door to return it, and nothing to take', () => {
  const s = aliceTakesKey1();
  s.advance(60 * MINUTE);
  const effects = s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({
    type: 'access.granted',
    data: { slots: [], takeRefused: 'overdue_key' },
  });
  expect(effects).toContainEqual({ kind: 'door', unlocked: true });
  expect(effects.filter((e) => e.kind === 'release')).toEqual([]);
});

it('with overdueBlocksTaking off, an overdue key does not stop taking another', () => {
  const s = aliceTakesKey1();
  s.settings.policy = { ...DEFAULT_POLICY, overdueBlocksTaking: false };
  s.advance(60 * MINUTE);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [2] } });
});

it('the maximum number of keys out: reaching it relocks the other slots of the session', () => {
  const s = new CabinetScenario();
  s.directory.holders[0]!.maxKeysOut = 1;
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [1, 2] } });
  s.send({ kind: 'presence', slot: 1, present: false });
  expect(s.lastEffects).toContainEqual({ kind: 'lock', slot: 2 });
  expect(s.state.slots[1]?.release).toBeNull();
  // Next visit: one key out of one allowed; the door opens for its return only.
  s.advance(10_000);
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({
    type: 'access.granted',
    data: { slots: [], takeRefused: 'loan_limit' },
  });
});

it('the configured default applies when the holder has no limit of their own', () => {
  const s = new CabinetScenario();
  s.settings.policy = { ...DEFAULT_POLICY, maxKeysOut: 0 };
  s.send({ kind: 'badge', card: ALICE_CARD });
  // Nothing out, nothing allowed: nothing to return either, so a plain denial.
  expect(s.events.at(-1)).toMatchObject({ type: 'access.denied', data: { reason: 'loan_limit' } });
  expect(s.lastEffects).not.toContainEqual({ kind: 'door', unlocked: true });
});
