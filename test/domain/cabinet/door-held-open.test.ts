import { expect, it } from 'vitest';
import type { Effect } from '../../../src/domain/cabinet-effects.js';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

const beeps = (effects: Effect[]) =>
  effects.filter((e) => e.kind === 'signal' && e.signal === 'pre_alarm').length;

/** Ticks every 100 ms for `ms`, counting the pre-alarm beeps. */
function run(s: CabinetScenario, ms: number): number {
  let n = 0;
  for (let t = 0; t < ms; t += 100) n += beeps(s.advance(100));
  return n;
}

it('open during a session past the held-open time (20 s) is door.held_open, after 5 beeps', () => {
  const s = new CabinetScenario();
  s.settings.sessionMs = 60_000;
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  expect(run(s, 14_900)).toBe(0);
  expect(run(s, 5_000)).toBe(5); // 15 s, 16 s … 19 s
  expect(s.eventTypes()).toEqual(['access.granted']);
  const effects = s.advance(100);
  expect(s.events.at(-1)).toEqual({ type: 'door.held_open', data: { heldOpenSeconds: 20 } });
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms).toMatchObject([{ type: 'door.held_open' }]);
  expect(run(s, 10_000)).toBe(0); // raised once, no more beeps
  expect(s.eventTypes().filter((t) => t === 'door.held_open')).toHaveLength(1);
});

it('closing the door clears door.held_open (and ends the visit)', () => {
  const s = new CabinetScenario();
  s.settings.sessionMs = 60_000;
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  run(s, 21_000);
  s.send({ kind: 'door', open: false });
  expect(s.state.alarms).toEqual([]);
  expect(s.events.find((e) => e.type === 'alarm.cleared')?.data).toMatchObject({
    alarm: 'door.held_open',
  });
  expect(s.state.session).toBeNull();
});

it('a forced door held open raises both alarms; closing clears both', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  run(s, 20_000);
  expect(s.eventTypes()).toEqual(['door.forced', 'door.held_open']);
  s.send({ kind: 'door', open: false });
  expect(s.state.alarms).toEqual([]);
  expect(s.eventTypes().slice(2)).toEqual(['alarm.cleared', 'alarm.cleared']);
});

it('closed before the held-open time: beeps stop, nothing is raised', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  expect(run(s, 17_000)).toBe(3);
  s.send({ kind: 'door', open: false });
  expect(run(s, 10_000)).toBe(0);
  expect(s.eventTypes()).toEqual(['access.granted']);
});

it('the held-open time and the pre-alarm are settings; the timer runs on the monotonic clock', () => {
  const s = new CabinetScenario();
  s.settings.door = { forcedDebounceMs: 1_000, heldOpenMs: 3_000, preAlarmMs: 1_000 };
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.clock.stepWall(-3_600_000);
  expect(run(s, 2_900)).toBe(1);
  s.clock.stepWall(288_000);
  expect(s.eventTypes()).toEqual(['access.granted']);
  s.advance(100);
  expect(s.events.at(-1)).toEqual({ type: 'door.held_open', data: { heldOpenSeconds: 3 } });
});

it('an emergency release stops the held-open countdown: evacuation props the door open', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  run(s, 10_000);
  s.send({ kind: 'emergency_start', source: 'input' });
  expect(run(s, 30_000)).toBe(0);
  expect(s.eventTypes()).not.toContain('door.held_open');
});
