import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

/** K-1 may come back to any free slot; Alice has it out. */
function anySlotKeyOut(): CabinetScenario {
  const s = new CabinetScenario();
  s.directory.keys[0]!.returnPolicy = 'any';
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.advance(10_000);
  return s;
}

it('returned to another free slot it is checked in there, with no wrong-slot alarm', () => {
  const s = anySlotKeyOut();
  s.insert(4, 'AA00000001');
  expect(s.events.at(-1)).toMatchObject({ type: 'key.checked_in', data: { keyId: 100, slot: 4 } });
  expect(s.eventTypes()).not.toContain('key.wrong_slot');
  expect(s.state.alarms).toEqual([]);
});

it('the next permitted badge releases the slot the key is in now, not its empty home', () => {
  const s = anySlotKeyOut();
  s.insert(4, 'AA00000001');
  const effects = s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [2, 4] } });
  expect(effects).not.toContainEqual(expect.objectContaining({ kind: 'release', slot: 1 }));
  s.take(4);
  expect(s.events.at(-1)).toMatchObject({ type: 'key.checked_out', data: { keyId: 100, slot: 4 } });
});

it('a fixed-home key in another slot is still the wrong slot (the default)', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.advance(10_000);
  s.insert(4, 'AA00000001');
  expect(s.events.at(-1)).toMatchObject({ type: 'key.wrong_slot' });
});

it('a key marked lost that comes back is flagged, and its loan closes as usual', () => {
  const s = anySlotKeyOut();
  s.directory.keys[0]!.state = 'lost';
  s.insert(1, 'AA00000001');
  expect(s.eventTypes().slice(-2)).toEqual(['key.flagged_return', 'key.checked_in']);
  expect(s.events.at(-2)).toMatchObject({ data: { keyId: 100, state: 'lost', slot: 1 } });
  // Still not releasable: Alice's next badge opens slot 2 only.
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events.at(-1)).toMatchObject({ type: 'access.granted', data: { slots: [2] } });
});
