import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('the door opening with no grant in force is door.forced', () => {
  const s = new CabinetScenario();
  const effects = s.send({ kind: 'door', open: true });
  expect(s.eventTypes()).toEqual(['door.forced']);
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
});

it('the door opening during a session is not forced; reopening after the session ended is', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.send({ kind: 'door', open: false });
  expect(s.eventTypes()).toEqual(['access.granted']);
  s.send({ kind: 'door', open: true });
  expect(s.eventTypes()).toEqual(['access.granted', 'door.forced']);
});

it('a repeated door-open reading is not a second event', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.send({ kind: 'door', open: true });
  expect(s.eventTypes()).toEqual(['door.forced']);
});
