import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

it('a tag the cabinet does not know is key.unknown_fob, an alarm, and releases nothing', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'presence', slot: 4, present: true });
  const effects = s.send({ kind: 'fob', slot: 4, tag: 'DEADBEEF01' });
  expect(s.events).toEqual([{ type: 'key.unknown_fob', data: { slot: 4, tag: 'DEADBEEF01' } }]);
  expect(effects).toEqual([
    { kind: 'record', event: s.events[0] },
    { kind: 'signal', signal: 'alarm' },
  ]);
});

it('inputs for a slot outside the cabinet are ignored', () => {
  const s = new CabinetScenario();
  expect(s.send({ kind: 'fob', slot: 9, tag: 'DEADBEEF01' })).toEqual([]);
  expect(s.send({ kind: 'presence', slot: 0, present: false })).toEqual([]);
});
