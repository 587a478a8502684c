import { expect, it } from 'vitest';
import type { CabinetInput } from '../../../src/domain/cabinet-inputs.js';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const K1 = 'AA00000001';
const K3 = 'AA00000003';

/** Bob has taken K-3 from slot 3: its loan is open and the slot's switch shows it empty. */
function k3OutWithBob(): CabinetScenario {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: BOB_CARD });
  s.send({ kind: 'door', open: true });
  s.take(3);
  s.send({ kind: 'door', open: false });
  expect(s.directory.loans).toMatchObject([{ keyId: 300, holderId: 2 }]);
  s.events.length = 0;
  return s;
}

it('a forged report of a key in a slot its switch shows empty records no check-in: the loan stays open', () => {
  const s = k3OutWithBob();
  const effects = s.send({ kind: 'fob', slot: 3, tag: K3 }); // "S03:AA00000003" on the wire
  expect(effects).toEqual([]);
  // The switch never closes: hours later the report still counts for nothing, and the key that
  // is out stays out (and goes overdue like any other).
  s.advance(3_600_000);
  expect(s.eventTypes()).not.toContain('key.checked_in');
  expect(s.directory.loans).toMatchObject([{ keyId: 300, holderId: 2 }]);
  expect(s.state.slots[2]).toMatchObject({ occupied: false, tag: null });
});

it('a forged report of a misplaced key records no wrong slot and energises nothing', () => {
  const s = k3OutWithBob();
  const effects = s.send({ kind: 'fob', slot: 4, tag: K3 });
  expect(effects).toEqual([]);
  expect(s.events).toEqual([]);
  expect(s.state.alarms).toEqual([]);
});

it('"S<n>:-" forgets a report the switch never agreed to: a key closing the switch later is not that tag', () => {
  const s = k3OutWithBob();
  s.send({ kind: 'fob', slot: 3, tag: K3 });
  s.send({ kind: 'fob', slot: 3, tag: null });
  s.send({ kind: 'presence', slot: 3, present: true });
  expect(s.events).toEqual([]);
  expect(s.directory.loans).toHaveLength(1);
});

/** A real return, its two signals in the given order. */
function returnK3(order: 'switch first' | 'fob first'): CabinetScenario {
  const s = k3OutWithBob();
  s.send({ kind: 'badge', card: BOB_CARD });
  s.send({ kind: 'door', open: true });
  const presence: CabinetInput = { kind: 'presence', slot: 3, present: true };
  const fob: CabinetInput = { kind: 'fob', slot: 3, tag: K3 };
  for (const input of order === 'switch first' ? [presence, fob] : [fob, presence]) s.send(input);
  return s;
}

it('a return counts the same whichever signal comes first, the switch or the fob report', () => {
  const switchFirst = returnK3('switch first');
  const fobFirst = returnK3('fob first');
  expect(switchFirst.eventTypes()).toContain('key.checked_in');
  expect(fobFirst.events).toEqual(switchFirst.events);
  expect(fobFirst.state.slots).toEqual(switchFirst.state.slots);
  expect(fobFirst.directory.loans).toEqual([]);
});

it('a misplaced key is recorded and released the same whichever signal comes first', () => {
  const run = (fobFirst: boolean) => {
    const s = new CabinetScenario();
    s.send({ kind: 'badge', card: ALICE_CARD });
    s.send({ kind: 'door', open: true });
    s.take(1);
    const presence: CabinetInput = { kind: 'presence', slot: 4, present: true };
    const fob: CabinetInput = { kind: 'fob', slot: 4, tag: K1 };
    for (const input of fobFirst ? [fob, presence] : [presence, fob]) s.send(input);
    return s;
  };
  const fobFirst = run(true);
  const switchFirst = run(false);
  expect(fobFirst.eventTypes().at(-1)).toBe('key.wrong_slot');
  expect(fobFirst.events).toEqual(switchFirst.events);
  expect(fobFirst.state.slots).toEqual(switchFirst.state.slots);
  expect(fobFirst.state.slots[3]?.release).toMatchObject({ reason: 'wrong_slot' });
});

it('the last tag read before the switch closes is the one that arrives', () => {
  const s = k3OutWithBob();
  s.send({ kind: 'fob', slot: 3, tag: 'DEADBEEF01' });
  s.send({ kind: 'fob', slot: 3, tag: K3 });
  s.send({ kind: 'presence', slot: 3, present: true });
  expect(s.eventTypes()).toEqual(['key.checked_in']);
});

it('a slot without a key-present switch trusts its fob line: the report alone is the arrival', () => {
  const s = k3OutWithBob();
  s.settings.keyPresentSlots = [1, 2, 4];
  s.send({ kind: 'fob', slot: 3, tag: K3 });
  expect(s.eventTypes()).toEqual(['key.checked_in']);
  expect(s.directory.loans).toEqual([]);
});
