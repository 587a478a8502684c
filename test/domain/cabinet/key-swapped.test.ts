import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const K1 = 'AA00000001';
/** Registered keys that are not in the cabinet (a tag still in another slot is a duplicate). */
const K4 = 'AA00000004';
const K5 = 'AA00000005';

function scenario(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.keys.push(
    { id: 400, tag: K4, label: 'K-4', homeSlot: 4 },
    { id: 500, tag: K5, label: 'K-5', homeSlot: 4 },
  );
  return s;
}

it('another registered key reported in a locked slot is key.swapped, not forced + wrong slot', () => {
  const s = scenario();
  const effects = s.send({ kind: 'fob', slot: 1, tag: K4 });
  expect(s.events).toEqual([
    {
      type: 'key.swapped',
      data: { slot: 1, keyId: 100, keyLabel: 'K-1', foundKeyId: 400, foundKeyLabel: 'K-4' },
    },
  ]);
  // Tampering: nothing is released for the substitute to be taken back out.
  expect(effects.filter((e) => e.kind === 'release')).toEqual([]);
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms).toMatchObject([{ type: 'key.swapped', slot: 1 }]);
  expect(s.state.slots[0]).toMatchObject({ occupied: true, tag: K4, release: null });
});

it('the alarm clears when the recorded key is back, with no other event', () => {
  const s = scenario();
  s.send({ kind: 'fob', slot: 1, tag: K4 });
  s.send({ kind: 'fob', slot: 1, tag: K1 });
  expect(s.eventTypes()).toEqual(['key.swapped', 'alarm.cleared']);
  expect(s.events[1]?.data).toMatchObject({ alarm: 'key.swapped', slot: 1 });
  expect(s.state.alarms).toEqual([]);
  expect(s.state.slots[0]?.expectedTag).toBeUndefined();
});

it('the substitute taken out is forced; the right key back clears both alarms', () => {
  const s = scenario();
  s.send({ kind: 'fob', slot: 1, tag: K4 });
  s.take(1);
  expect(s.eventTypes()).toEqual(['key.swapped', 'key.forced']);
  s.insert(1, K1);
  expect(s.state.alarms).toEqual([]);
  expect(s.eventTypes().slice(2)).toEqual(['alarm.cleared', 'alarm.cleared']);
});

it('a second substitute renews the one alarm, still waiting for the first key', () => {
  const s = scenario();
  s.send({ kind: 'fob', slot: 1, tag: K4 });
  s.send({ kind: 'fob', slot: 1, tag: K5 });
  expect(s.eventTypes()).toEqual(['key.swapped', 'alarm.cleared', 'key.swapped']);
  expect(s.events[2]?.data).toMatchObject({ keyId: 100, foundKeyId: 500 });
  expect(s.state.alarms).toMatchObject([{ type: 'key.swapped', slot: 1 }]);
  s.send({ kind: 'fob', slot: 1, tag: K1 });
  expect(s.state.alarms).toEqual([]);
});

it('a released slot explains the change: check-out and wrong slot, no swap', () => {
  const s = scenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.send({ kind: 'fob', slot: 1, tag: K5 });
  expect(s.eventTypes()).toEqual(['access.granted', 'key.checked_out', 'key.wrong_slot']);
});

it('an unregistered fob is no swap: key.forced, then key.unknown_fob, as before', () => {
  const s = scenario();
  s.send({ kind: 'fob', slot: 1, tag: 'DEADBEEF01' });
  // (Any fob in the slot clears key.forced there; the unknown fob is an alarm of its own.)
  expect(s.eventTypes()).toEqual(['key.forced', 'alarm.cleared', 'key.unknown_fob']);
});

it('a departure seen first is key.forced; the other key then arriving is a wrong slot', () => {
  const s = scenario();
  s.take(1);
  s.insert(1, K4);
  expect(s.eventTypes()).toEqual(['key.forced', 'alarm.cleared', 'key.wrong_slot']);
});
