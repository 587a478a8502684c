import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('the door open with no grant in force past the debounce (1 s) is door.forced', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.advance(900);
  expect(s.eventTypes()).toEqual([]);
  const effects = s.advance(100);
  expect(s.eventTypes()).toEqual(['door.forced']);
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
});

it('a bounce shorter than the debounce raises nothing', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.advance(999);
  s.send({ kind: 'door', open: false });
  s.advance(5_000);
  expect(s.eventTypes()).toEqual([]);
  expect(s.state.alarms).toEqual([]);
});

it('the debounce is a setting; 0 raises door.forced at the opening itself', () => {
  const s = new CabinetScenario();
  s.settings.door = { forcedDebounceMs: 0, heldOpenMs: 20_000, preAlarmMs: 5_000 };
  s.send({ kind: 'door', open: true });
  expect(s.eventTypes()).toEqual(['door.forced']);
});

it('the door opening during a session is not forced; reopening after the session ended is', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.advance(2_000);
  s.send({ kind: 'door', open: false });
  expect(s.eventTypes()).toEqual(['access.granted']);
  s.send({ kind: 'door', open: true });
  s.advance(1_000);
  expect(s.eventTypes()).toEqual(['access.granted', 'door.forced']);
});

it('a badge while the forced door is still within the debounce does not excuse it', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.advance(500);
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.advance(500);
  expect(s.eventTypes()).toEqual(['access.granted', 'door.forced']);
});

it('a repeated door-open reading neither restarts the debounce nor raises twice', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.advance(600);
  s.send({ kind: 'door', open: true });
  s.advance(400);
  s.send({ kind: 'door', open: true });
  s.advance(1_000);
  expect(s.eventTypes()).toEqual(['door.forced']);
});

it('a wall-clock step neither raises door.forced early nor delays it', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.clock.stepWall(3_600_000);
  s.advance(500);
  expect(s.eventTypes()).toEqual([]);
  s.clock.stepWall(-7_200_000);
  s.advance(500);
  expect(s.eventTypes()).toEqual(['door.forced']);
});
