import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

it("a reader's tamper switch raises reader.tampered (sounding), cleared when it is normal", () => {
  const s = new CabinetScenario();
  const effects = s.send({
    kind: 'reader_tamper',
    reader: 'badge',
    active: true,
    reason: 'tamper switch',
  });
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms).toEqual([
    { type: 'reader.tampered', reader: 'badge', since: '2026-11-24T09:00:00.000Z' },
  ]);
  // A Secure Channel break while it lasts: the one alarm, nothing new.
  expect(
    s.send({
      kind: 'reader_tamper',
      reader: 'badge',
      active: true,
      reason: 'secure channel: bad MAC',
    }),
  ).toEqual([]);
  s.send({ kind: 'reader_tamper', reader: 'badge', active: false, reason: 'tamper switch' });
  expect(s.events).toEqual([
    { type: 'reader.tampered', data: { reader: 'badge', reason: 'tamper switch' } },
    {
      type: 'alarm.cleared',
      data: { alarm: 'reader.tampered', reader: 'badge', since: '2026-11-24T09:00:00.000Z' },
    },
  ]);
  expect(s.state.alarms).toEqual([]);
});

it("the reader's alarm and the cabinet's tamper input are separate: one never clears the other", () => {
  const s = new CabinetScenario();
  s.send({ kind: 'tamper', active: true });
  s.send({ kind: 'reader_tamper', reader: 'badge', active: true, reason: 'tamper switch' });
  s.send({ kind: 'tamper', active: false });
  expect(s.state.alarms.map((a) => a.type)).toEqual(['reader.tampered']);
});
