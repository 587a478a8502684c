import { expect, it } from 'vitest';
import { CabinetScenario } from '../../support/cabinet-scenario.js';

it('a reader going away is reader.offline, an active alarm of that reader until reader.online clears it', () => {
  const s = new CabinetScenario();
  const effects = s.send({ kind: 'reader', reader: 'fob', online: false, reason: 'disconnected' });
  expect(s.events).toEqual([
    { type: 'reader.offline', data: { reader: 'fob', reason: 'disconnected' } },
  ]);
  expect(effects).toContainEqual({ kind: 'signal', signal: 'alarm' });
  expect(s.state.alarms).toEqual([
    { type: 'reader.offline', reader: 'fob', since: '2026-11-24T09:00:00.000Z' },
  ]);

  s.clock.advance(60_000);
  s.send({ kind: 'reader', reader: 'fob', online: true });
  expect(s.events.slice(1)).toEqual([
    { type: 'reader.online', data: { reader: 'fob' } },
    {
      type: 'alarm.cleared',
      data: { alarm: 'reader.offline', reader: 'fob', since: '2026-11-24T09:00:00.000Z' },
    },
  ]);
  expect(s.state.alarms).toEqual([]);
});

it('each reader has its own alarm: the badge reader returning does not clear the fob reader’s', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'reader', reader: 'fob', online: false, reason: 'device disappeared' });
  s.send({ kind: 'reader', reader: 'badge', online: false, reason: 'open failed: ENOENT' });
  s.send({ kind: 'reader', reader: 'badge', online: true });
  expect(s.state.alarms.map((a) => [a.type, a.reader])).toEqual([['reader.offline', 'fob']]);
  expect(s.eventTypes()).toEqual([
    'reader.offline',
    'reader.offline',
    'reader.online',
    'alarm.cleared',
  ]);
});

it('one alarm per outage; a reader online from the start, or online twice, records nothing', () => {
  const s = new CabinetScenario();
  s.send({ kind: 'reader', reader: 'badge', online: true });
  s.send({ kind: 'reader', reader: 'badge', online: false, reason: 'closed' });
  s.send({ kind: 'reader', reader: 'badge', online: false, reason: 'port error' });
  s.send({ kind: 'reader', reader: 'badge', online: true });
  s.send({ kind: 'reader', reader: 'badge', online: true });
  expect(s.eventTypes()).toEqual(['reader.offline', 'reader.online', 'alarm.cleared']);
});
