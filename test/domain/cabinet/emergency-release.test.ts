import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

const start = { kind: 'emergency_start', source: 'command', commandId: 'e-1' } as const;
const end = { kind: 'emergency_end', source: 'command', commandId: 'e-2' } as const;

it('an emergency release unlocks the door and releases every slot, renewed pulse by pulse', () => {
  const s = new CabinetScenario();
  const effects = s.send(start);
  expect(s.events).toEqual([
    { type: 'emergency.started', data: { source: 'command', commandId: 'e-1' } },
  ]);
  expect(effects.slice(1)).toEqual([
    { kind: 'door', unlocked: true },
    ...[1, 2, 3, 4].map((slot) => ({ kind: 'release', slot, ms: 5_000 })),
  ]);
  expect(s.advance(4_999)).toEqual([]);
  const renewed = s.advance(1);
  expect(renewed.filter((e) => e.kind === 'release')).toHaveLength(4);
  expect(renewed).toContainEqual({ kind: 'door', unlocked: true });
});

it('during it, opening the door and taking keys raise no alarm and relock nothing', () => {
  const s = new CabinetScenario();
  s.send(start);
  s.send({ kind: 'door', open: true });
  s.take(1);
  expect(s.eventTypes()).toEqual(['emergency.started']);
  expect(s.lastEffects).toEqual([]);
  expect(s.state.alarms).toEqual([]);
});

it('its end relocks the door and every slot, and a second start changes nothing', () => {
  const s = new CabinetScenario();
  s.send(start);
  expect(s.send({ ...start, commandId: 'e-again' })).toEqual([]);
  const effects = s.send(end);
  expect(s.events.at(-1)).toEqual({
    type: 'emergency.ended',
    data: { source: 'command', commandId: 'e-2' },
  });
  expect(effects.slice(1)).toEqual([
    ...[1, 2, 3, 4].map((slot) => ({ kind: 'lock', slot })),
    { kind: 'door', unlocked: false },
  ]);
  expect(s.advance(10_000)).toEqual([]);
  expect(s.state.emergency).toBeNull();
});

it('a command does not end an emergency the fire-alarm input declared', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'emergency_start', source: 'input' });
  expect(s.send(end)).toEqual([]);
  expect(s.state.emergency).toMatchObject({ source: 'input' });
});
