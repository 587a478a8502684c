import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('a key leaving a released slot is key.checked_out to the badged holder, and its slot locks', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.send({ kind: 'presence', slot: 1, present: false });
  expect(s.lastEffects).toContainEqual({ kind: 'lock', slot: 1 });
  s.send({ kind: 'fob', slot: 1, tag: null }); // the fob reader agrees: no second event
  expect(s.eventTypes()).toEqual(['access.granted', 'key.checked_out']);
  expect(s.events[1]).toEqual({
    type: 'key.checked_out',
    data: { keyId: 100, keyLabel: 'K-1', holderId: 1, holderName: 'Alice', slot: 1, dueAt: null },
  });
});

it('a fob report of an empty slot is not believed while the key-present switch shows a key', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'fob', slot: 2, tag: null }); // a misread, or bytes forged on the line
  expect(s.eventTypes()).toEqual(['access.granted']);
  s.send({ kind: 'presence', slot: 2, present: false }); // the switch: the key really left
  expect(s.eventTypes()).toEqual(['access.granted', 'key.checked_out']);
  expect(s.events[1]).toMatchObject({ data: { keyId: 200, slot: 2 } });
});
