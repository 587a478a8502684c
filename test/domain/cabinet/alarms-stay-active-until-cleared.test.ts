import { expect, it } from 'vitest';
import { ALICE_CARD, CabinetScenario } from '../../support/cabinet-scenario.js';

it('door.forced stays active until the door closes, then alarm.cleared is recorded', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'door', open: true });
  s.advance(1_000);
  expect(s.state.alarms).toEqual([{ type: 'door.forced', since: '2026-11-24T09:00:01.000Z' }]);
  s.clock.advance(5_000);
  s.send({ kind: 'door', open: false });
  expect(s.state.alarms).toEqual([]);
  expect(s.events.at(-1)).toEqual({
    type: 'alarm.cleared',
    data: { alarm: 'door.forced', since: '2026-11-24T09:00:01.000Z' },
  });
});

it('key.forced at a slot clears when a key is back in that slot; the others stay', () => {
  const s = new CabinetScenario();
  s.take(1);
  s.take(2);
  expect(s.state.alarms.map((a) => `${a.type}@${a.slot}`)).toEqual([
    'key.forced@1',
    'key.forced@2',
  ]);
  s.send({ kind: 'badge', card: ALICE_CARD });
  s.send({ kind: 'door', open: true });
  s.insert(1, 'AA00000001');
  expect(s.state.alarms.map((a) => `${a.type}@${a.slot}`)).toEqual(['key.forced@2']);
});

it('key.unknown_fob clears when the fob is taken out', () => {
  const s = new CabinetScenario();
  s.insert(4, 'DEADBEEF01');
  expect(s.state.alarms).toMatchObject([{ type: 'key.unknown_fob', slot: 4 }]);
  s.take(4);
  expect(s.state.alarms).toEqual([]);
  expect(s.eventTypes().slice(-1)).toEqual(['alarm.cleared']);
});
