import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('a fob arriving in its home slot closes the loan as key.checked_in, with who had it and for how long', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.advance(10_000);
  s.clock.advance(3_600_000);
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.insert(1, 'AA00000001');
  const checkIn = s.events.at(-1);
  expect(checkIn).toEqual({
    type: 'key.checked_in',
    data: {
      keyId: 100,
      keyLabel: 'K-1',
      holderId: 1,
      holderName: 'Alice',
      slot: 1,
      outAt: '2026-11-24T09:00:00.000Z',
      durationSeconds: 3610,
      returnedBy: 1,
    },
  });
  expect(s.directory.loans).toEqual([]);
});

it('a holder with nothing permitted but a key out may open the door to return it', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  s.directory.permissions = [];
  const effects = s.send({ kind: 'badge', card: ALICE_CARD });
  expect(effects).toContainEqual({ kind: 'door', unlocked: true });
  expect(effects.some((e) => e.kind === 'release')).toBe(false);
});

it('a fob reported at home with no open loan is inventory, not a return', () => {
  const s = new CabinetScenario();
  s.take(4); // nothing there: no event
  s.insert(4, 'AA00000001'); // K-1 belongs in slot 1: not this case
  s.events.length = 0;
  s.send({ kind: 'fob', slot: 2, tag: 'AA00000002' }); // repeat report of what is already known
  expect(s.events).toEqual([]);
});
