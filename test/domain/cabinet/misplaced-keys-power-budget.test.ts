import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD } from '../../support/cabinet-scenario.js';
import { PoweredScenario } from '../../support/powered-scenario.js';

/**
 * The rpi-8slot supply holds two solenoids at once. Two keys left in wrong slots used to take
 * both, pulse after pulse, door shut, and the next holder's releases queued until their deadline
 * and were dropped. Here the flow's effects drive the real SolenoidBank.
 */
function twoMisplacedKeys(): PoweredScenario {
  const s = new PoweredScenario(8);
  const d = s.directory;
  d.keys.push(
    { id: 500, tag: 'AA00000005', label: 'K-5', homeSlot: 5 },
    { id: 600, tag: 'AA00000006', label: 'K-6', homeSlot: 6 },
  );
  d.permissions.push({ holderId: 2, slot: 5 }, { holderId: 2, slot: 6 });
  s.insert(5, 'AA00000005');
  s.insert(6, 'AA00000006');
  // Alice takes K-1 and K-2, then hangs them in slots 7 and 8.
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.take(1);
  s.take(2);
  s.send({ kind: 'door', open: false });
  s.advance(1_000);
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.insert(7, 'AA00000001');
  s.insert(8, 'AA00000002');
  s.send({ kind: 'door', open: false });
  return s;
}

it('two misplaced keys on a two-at-once cabinet: with the door shut no solenoid is on, ever', () => {
  const s = twoMisplacedKeys();
  expect(s.eventTypes().filter((t) => t === 'key.wrong_slot')).toHaveLength(2);
  expect(s.bank.energisedSlots()).toEqual([]);
  s.advance(120_000);
  expect(s.energisedOverTime.filter((t) => t.slots.length > 0)).toEqual([]);
  expect(s.state.alarms.map((a) => `${a.type}@${a.slot}`)).toEqual([
    'key.wrong_slot@7',
    'key.wrong_slot@8',
  ]);
});

it('the next holder gets the whole budget: a release queued behind it is served, not dropped', () => {
  const s = twoMisplacedKeys();
  s.advance(60_000);
  s.send({ kind: 'badge', card: BOB_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [3, 5, 6] } });
  expect(s.bank.energisedSlots()).toEqual([3, 5]); // the third waits for a coil
  s.send({ kind: 'door', open: true });
  s.advance(600); // the minimum rest of slot 3 is not a factor: another slot is waiting
  s.take(3);
  s.advance(100);
  expect(s.bank.energisedSlots()).toEqual([5, 6]);
  s.take(6);
  expect(
    s
      .eventTypes()
      .filter((t) => t === 'key.checked_out')
      .slice(-2),
  ).toHaveLength(2);
  expect(s.warnings).toEqual([]);
  s.send({ kind: 'door', open: false });
  s.advance(30_000);
  expect(s.bank.energisedSlots()).toEqual([]);
});

it('an emergency release still opens every slot, misplaced keys’ too, and its end locks them all', () => {
  const s = twoMisplacedKeys();
  s.send({ kind: 'emergency_start', source: 'command', commandId: 'c-1' });
  const released = s.lastEffects.flatMap((e) => (e.kind === 'release' ? [e.slot] : []));
  expect(released).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  s.advance(30_000); // renewed pulse by pulse, within the supply's budget
  expect(s.energisedOverTime.every((t) => t.slots.length <= 2)).toBe(true);
  s.send({ kind: 'emergency_end', source: 'command', commandId: 'c-2' });
  s.advance(100);
  expect(s.bank.energisedSlots()).toEqual([]);
  s.advance(60_000);
  expect(s.energisedOverTime.slice(-600).filter((t) => t.slots.length > 0)).toEqual([]);
});
