import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const start = { kind: 'emergency_start', source: 'input', releases: 'door' } as const;
const end = { kind: 'emergency_end', source: 'input' } as const;

it('an emergency input that releases the door only unlocks the door and no slot, renewed or not', () => {
  const s = new CabinetScenario();
  const effects = s.send(start);
  expect(s.events).toEqual([
    { type: 'emergency.started', data: { source: 'input', releases: 'door' } },
  ]);
  expect(effects.filter((e) => e.kind !== 'record')).toEqual([{ kind: 'door', unlocked: true }]);
  const renewed = s.advance(5_000);
  expect(renewed).toEqual([{ kind: 'door', unlocked: true }]);
});

it('during it the door may open without an alarm, but a key pulled from its locked slot is forced', () => {
  const s = new CabinetScenario();
  s.send(start);
  s.send({ kind: 'door', open: true });
  expect(s.eventTypes()).toEqual(['emergency.started']);
  s.take(1);
  expect(s.eventTypes()).toEqual(['emergency.started', 'key.forced']);
});

it('a session during it relocks its slots at its end but leaves the door to the emergency', () => {
  const s = new CabinetScenario();
  s.send(start);
  s.send({ kind: 'badge', card: ALICE_CARD });
  const ended = s.advance(10_000); // the session times out
  expect(ended).toContainEqual({ kind: 'lock', slot: 1 });
  expect(ended).not.toContainEqual({ kind: 'door', unlocked: false });
  const effects = s.send(end);
  expect(s.events.at(-1)).toEqual({ type: 'emergency.ended', data: { source: 'input' } });
  expect(effects).toContainEqual({ kind: 'door', unlocked: false });
});

it('an emergency input that releases door and slots behaves as the command does, and says so', () => {
  const s = new CabinetScenario();
  const effects = s.send({ ...start, releases: 'door_and_slots' });
  expect(s.events[0]).toEqual({
    type: 'emergency.started',
    data: { source: 'input', releases: 'door_and_slots' },
  });
  expect(effects.filter((e) => e.kind === 'release')).toHaveLength(4);
  s.take(1);
  expect(s.eventTypes()).toEqual(['emergency.started']);
});
