import { expect, it } from 'vitest';
import type { Effect } from '../../../src/domain/cabinet-effects.js';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const K1 = 'AA00000001';
const releases = (effects: Effect[]) => effects.filter((e) => e.kind === 'release');

/** Alice took K-1 in one visit and is back in a second one, door open. */
function keyOutWithAlice(): CabinetScenario {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.take(1);
  s.send({ kind: 'door', open: false });
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.events.length = 0;
  return s;
}

/** K-1 left in slot 4 and the door closed: the session is over. */
function misplacedAndClosed(): CabinetScenario {
  const s = keyOutWithAlice();
  s.insert(4, K1);
  s.send({ kind: 'door', open: false });
  return s;
}

it('a key put in a slot that is not its home is key.wrong_slot, released for the rest of that session only', () => {
  const s = keyOutWithAlice();
  s.advance(2_000);
  s.insert(4, K1);
  expect(s.events.at(-1)).toEqual({
    type: 'key.wrong_slot',
    data: { keyId: 100, keyLabel: 'K-1', slot: 4, homeSlot: 1 },
  });
  expect(s.lastEffects).toContainEqual({ kind: 'release', slot: 4, ms: 8_000 });
  expect(s.directory.loans).toHaveLength(1); // not returned until it is home
});

it('closing the door locks it; the alarm stays active and nothing is energised while no session is open', () => {
  const s = keyOutWithAlice();
  s.insert(4, K1);
  expect(s.send({ kind: 'door', open: false })).toContainEqual({ kind: 'lock', slot: 4 });
  const later: Effect[] = [];
  for (let i = 0; i < 120; i++) later.push(...s.advance(500));
  expect(releases(later)).toEqual([]);
  expect(s.state.slots[3]?.release).toBeNull();
  expect(s.state.alarms).toMatchObject([{ type: 'key.wrong_slot', slot: 4 }]);
});

it('a session that times out with the door open relocks it too', () => {
  const s = keyOutWithAlice();
  s.insert(4, K1);
  expect(s.advance(10_000)).toContainEqual({ kind: 'lock', slot: 4 });
  expect(releases(s.advance(30_000))).toEqual([]);
});

it('the borrower’s next session releases it to be moved: the alarm clears as it leaves, the check-in follows at home', () => {
  const s = misplacedAndClosed();
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [2, 4] } });
  expect(releases(s.lastEffects)).toContainEqual({ kind: 'release', slot: 4, ms: 10_000 });
  s.send({ kind: 'door', open: true });
  s.events.length = 0;
  s.take(4);
  // Moving it is not a check-out: it is still on Alice's loan.
  expect(s.eventTypes()).toEqual(['alarm.cleared']);
  expect(s.events[0]?.data).toMatchObject({ alarm: 'key.wrong_slot', slot: 4 });
  s.insert(1, K1);
  expect(s.eventTypes()).toEqual(['alarm.cleared', 'key.checked_in']);
  expect(s.state.alarms).toEqual([]);
  expect(s.directory.loans).toEqual([]);
});

it('another holder’s session does not release it', () => {
  const s = misplacedAndClosed();
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [3] } });
  expect(releases(s.lastEffects)).toEqual([{ kind: 'release', slot: 3, ms: 10_000 }]);
});

it('a misplaced key on no loan goes to a holder permitted its home, and taking it is a check-out', () => {
  const s = new CabinetScenario();
  s.take(1); // forced out of its locked slot …
  s.insert(4, K1); // … and hung in slot 4, with no session: nothing is released
  expect(s.eventTypes()).toEqual(['key.forced', 'key.wrong_slot']);
  expect(releases(s.lastEffects)).toEqual([]);
  s.send({ kind: 'badge', card: BOB_CARD }); // Bob may not take K-1
  expect(s.events.at(-1)).toMatchObject({ data: { slots: [3] } });
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [2, 4] } });
  s.send({ kind: 'door', open: true });
  s.take(4);
  expect(s.events.at(-1)).toEqual({
    type: 'key.checked_out',
    data: { keyId: 100, keyLabel: 'K-1', holderId: 1, holderName: 'Alice', slot: 4, dueAt: null },
  });
});

it('a fob report alone records and releases nothing: the misplaced key counts once its key-present switch agrees', () => {
  const s = keyOutWithAlice();
  const before = s.events.length;
  s.send({ kind: 'fob', slot: 4, tag: K1 });
  expect(s.events).toHaveLength(before);
  expect(s.lastEffects).toEqual([]);
  s.send({ kind: 'presence', slot: 4, present: true });
  expect(s.events.at(-1)?.type).toBe('key.wrong_slot');
  expect(releases(s.lastEffects)).toEqual([{ kind: 'release', slot: 4, ms: 10_000 }]);
});

it('a misplaced key reported while the door is shut is not released, even in a session', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.take(1);
  s.send({ kind: 'door', open: false });
  s.send({ kind: 'badge', card: ALICE_CARD }); // a session, the door not yet opened
  s.insert(4, K1);
  expect(s.events.at(-1)?.type).toBe('key.wrong_slot');
  expect(releases(s.lastEffects)).toEqual([]);
});
