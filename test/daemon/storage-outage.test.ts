import { afterEach, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import { claimHardware, type CabinetHardware } from '../../src/daemon/hardware.js';
import { StorageOutage } from '../../src/daemon/storage-outage.js';
import { storageAlarmOf } from '../../src/daemon/storage-fault.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { ALICE_CARD, CabinetScenario } from '../support/cabinet-scenario.js';

let hardware: CabinetHardware | undefined;
afterEach(() => hardware?.allOff());

/** A runner over SQLite whose writes the test switches off with `PRAGMA query_only`. */
function rig(): {
  runner: CabinetRunner;
  db: Database;
  gpio: SimGpioDriver;
  scenario: CabinetScenario;
} {
  const scenario = new CabinetScenario();
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  hardware = claimHardware(gpio, loadProfile('sim', hardwareDir()), silentLogger());
  const db = openDatabase(':memory:');
  const runner = new CabinetRunner(
    scenario.state,
    { settings: scenario.settings, directory: scenario.directory, clock: scenario.clock },
    new EventLog(db, 'cab', scenario.clock),
    hardware.outputs,
    silentLogger(),
  );
  return { runner, db, gpio, scenario };
}

const on = (gpio: SimGpioDriver) =>
  gpio
    .outputs()
    .filter((o) => o.on)
    .map((o) => o.name)
    .sort();

it('a badge while the database refuses writes is denied, raises the alarm and releases nothing', () => {
  const { runner, db, gpio } = rig();
  db.pragma('query_only = ON');
  expect(runner.handle({ kind: 'badge', card: ALICE_CARD })).toEqual([]);
  expect(runner.current.session).toBeNull();
  // Denied and alarmed: red LED and buzzer; no door, no solenoid, no green.
  expect(on(gpio)).toEqual(['indicator.buzzer', 'indicator.red']);
  expect(runner.storage.alarms()).toEqual([
    { type: 'storage.readonly', since: expect.any(String) as string },
  ]);
});

it('the outage is recorded once writes work again: the alarm, the denials, alarm.cleared', () => {
  const { runner, db, scenario } = rig();
  const states: number[] = [];
  runner.on('state', () => states.push(runner.storage.alarms().length));
  db.pragma('query_only = ON');
  runner.handle({ kind: 'badge', card: ALICE_CARD });
  runner.handle({ kind: 'door', open: true }); // door.forced: cannot be recorded
  scenario.clock.advance(5_000);
  expect(runner.handle({ kind: 'tick' })).toEqual([]); // the probe fails: still read-only
  expect(runner.storage.active).toBe(true);

  db.pragma('query_only = OFF');
  const events: RecordedEvent[] = [];
  runner.on('recorded', (recorded) => events.push(...recorded));
  const types = () => events.map((e) => e.type);
  scenario.clock.advance(1_000); // the probe waits for its interval
  runner.handle({ kind: 'tick' });
  expect(types()).toEqual([]);
  scenario.clock.advance(1_000);
  runner.handle({ kind: 'tick' });
  expect(types()).toEqual(['storage.readonly', 'access.denied', 'alarm.cleared']);
  expect(events[0]?.data).toEqual({
    code: 'SQLITE_READONLY',
    since: '2026-11-24T09:00:00.000Z',
    denials: 1,
    denialsDropped: 0,
    inputsLost: 1,
  });
  expect(events[1]?.data).toEqual({
    reason: 'storage',
    card: '…F444',
    occurredAt: '2026-11-24T09:00:00.000Z',
  });
  expect(events[2]?.data).toEqual({ alarm: 'storage.readonly', since: '2026-11-24T09:00:00.000Z' });
  expect(runner.storage.alarms()).toEqual([]);
  // The retained state was refreshed when the alarm rose and when it cleared.
  expect(states).toContain(1);
  expect(states.at(-1)).toBe(0);

  runner.handle({ kind: 'door', open: false });
  expect(runner.handle({ kind: 'badge', card: ALICE_CARD }).map((e) => e.type)).toEqual([
    'access.granted',
  ]);
});

it('a step that commits after the outage lets the probe run at once', () => {
  const { runner, db } = rig();
  db.pragma('query_only = ON');
  runner.handle({ kind: 'badge', card: ALICE_CARD });
  db.pragma('query_only = OFF');
  const first = runner.handle({ kind: 'badge', card: ALICE_CARD });
  expect(first.map((e) => e.type)).toEqual(['access.granted']);
  runner.handle({ kind: 'tick' }); // no clock advance needed
  expect(runner.storage.active).toBe(false);
});

it('the denial queue is bounded: beyond it denials are counted, not kept', () => {
  const scenario = new CabinetScenario();
  const db = openDatabase(':memory:');
  const outage = new StorageOutage({
    log: new EventLog(db, 'cab', scenario.clock),
    clock: scenario.clock,
    logger: silentLogger(),
    maxQueued: 2,
  });
  const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  for (let i = 0; i < 5; i++) outage.failed(full, { kind: 'badge', card: `00000000${i}A` });
  scenario.clock.advance(2_000);
  const recorded = outage.probe();
  expect(recorded.map((e) => e.type)).toEqual([
    'storage.full',
    'access.denied',
    'access.denied',
    'alarm.cleared',
  ]);
  expect(recorded[0]?.data).toMatchObject({ denials: 5, denialsDropped: 3 });
});

it('SQLite codes map to the four storage alarms; other errors are not storage failures', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  expect(storageAlarmOf(err('SQLITE_FULL'))).toBe('storage.full');
  expect(storageAlarmOf(err('SQLITE_READONLY_DBMOVED'))).toBe('storage.readonly');
  expect(storageAlarmOf(err('SQLITE_CORRUPT'))).toBe('storage.corrupt');
  expect(storageAlarmOf(err('SQLITE_NOTADB'))).toBe('storage.corrupt');
  expect(storageAlarmOf(err('SQLITE_IOERR_WRITE'))).toBe('storage.failed');
  expect(storageAlarmOf(new RangeError('slot 9 is outside 1..4'))).toBeNull();
  expect(storageAlarmOf(err('ENOSPC'))).toBeNull();
});
