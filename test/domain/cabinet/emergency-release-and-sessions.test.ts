import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const start = { kind: 'emergency_start', source: 'command', commandId: 'e-1' } as const;
const end = { kind: 'emergency_end', source: 'command', commandId: 'e-2' } as const;

it('a session that ends during an emergency release relocks nothing', () => {
  const s = new CabinetScenario();
  s.send(start);
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.take(1);
  expect(s.events.at(-1)).toMatchObject({ type: 'key.checked_out', data: { holderId: 1 } });
  const atTimeout = s.advance(10_000);
  expect(atTimeout.some((e) => e.kind === 'lock' || (e.kind === 'door' && !e.unlocked))).toBe(
    false,
  );
  expect(s.state.session).toBeNull();
});

it('an emergency that ends during a session leaves the session its door and slots', () => {
  const s = new CabinetScenario();
  s.send(start);
  s.send({ kind: 'badge', card: ALICE_CARD });
  const effects = s.send(end);
  expect(effects).not.toContainEqual({ kind: 'door', unlocked: false });
  expect(effects.filter((e) => e.kind === 'lock')).toEqual([
    { kind: 'lock', slot: 3 },
    { kind: 'lock', slot: 4 },
  ]);
  expect(s.advance(10_000)).toContainEqual({ kind: 'door', unlocked: false });
});
