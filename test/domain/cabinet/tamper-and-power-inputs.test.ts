import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

it('the tamper input raises cabinet.tamper while active, cleared when it returns to normal', () => {
  const s = new CabinetScenario();
  const effects = s.send({ kind: 'tamper', active: true });
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms.map((a) => a.type)).toEqual(['cabinet.tamper']);
  expect(s.send({ kind: 'tamper', active: true })).toEqual([]); // still active: nothing new
  s.clock.advance(1_000);
  s.send({ kind: 'tamper', active: false });
  expect(s.events).toEqual([
    { type: 'cabinet.tamper', data: {} },
    { type: 'alarm.cleared', data: { alarm: 'cabinet.tamper', since: '2026-11-24T09:00:00.000Z' } },
  ]);
  expect(s.state.alarms).toEqual([]);
  expect(s.send({ kind: 'tamper', active: false })).toEqual([]);
});

it('the power-fail input raises power.failed; power.restored and the clearing when it returns', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'power', failed: false }); // normal at start: nothing to say
  s.send({ kind: 'power', failed: true });
  expect(s.state.alarms.map((a) => a.type)).toEqual(['power.failed']);
  s.send({ kind: 'power', failed: false });
  expect(s.eventTypes()).toEqual(['power.failed', 'power.restored', 'alarm.cleared']);
  expect(s.state.alarms).toEqual([]);
});
