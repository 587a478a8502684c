import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario, kinds } from '../../support/cabinet-scenario.js';

it('an unknown card is recorded as access.denied with a shortened card number and releases nothing', () => {
  const s = new CabinetScenario();
  const effects = s.send({ kind: 'badge', card: '99999999AB' });
  expect(kinds(effects)).toEqual(['record:access.denied', 'signal']);
  expect(s.events[0]).toEqual({
    type: 'access.denied',
    data: { reason: 'unknown_card', card: '…99AB' },
  });
});

it('a disabled holder is denied with that reason', () => {
  const s = new CabinetScenario();
  s.directory.holders[0] = { id: 1, name: 'Alice', enabled: false };
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.events[0]).toMatchObject({
    type: 'access.denied',
    data: { reason: 'holder_disabled', holderId: 1 },
  });
  expect(s.lastEffects.some((e) => e.kind === 'door' || e.kind === 'release')).toBe(false);
});
