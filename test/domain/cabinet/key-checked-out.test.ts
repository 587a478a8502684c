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

it('the fob reader alone is enough to see the key leave', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'fob', slot: 2, tag: null });
  expect(s.eventTypes()).toEqual(['access.granted', 'key.checked_out']);
});
