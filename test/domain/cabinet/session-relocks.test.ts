import { expect, it } from 'vitest';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('relocks the door and the released slots when the session time runs out, not a moment before', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  expect(s.advance(9_999)).toEqual([]);
  const effects = s.advance(1);
  expect(effects).toEqual([
    { kind: 'lock', slot: 1 },
    { kind: 'lock', slot: 2 },
    { kind: 'door', unlocked: false },
    { kind: 'signal', signal: 'session_ended' },
  ]);
  expect(s.state.session).toBeNull();
});

it('relocks at once when the door closes after being opened', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  const effects = s.send({ kind: 'door', open: false });
  expect(effects).toContainEqual({ kind: 'door', unlocked: false });
  expect(effects).toContainEqual({ kind: 'lock', slot: 1 });
  expect(s.state.session).toBeNull();
});

it('a second badge ends the first session before deciding the new one', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  const effects = s.send({ kind: 'badge', card: BOB_CARD });
  expect(effects.slice(0, 2)).toEqual([
    { kind: 'lock', slot: 1 },
    { kind: 'lock', slot: 2 },
  ]);
  expect(effects).toContainEqual({ kind: 'release', slot: 3, ms: 10_000 });
  expect(s.state.session?.holderId).toBe(2);
});
