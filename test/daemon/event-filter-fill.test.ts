import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import { claimHardware, type CabinetHardware } from '../../src/daemon/hardware.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { filteredUpTo } from '../../src/store/event-filters.js';
import { EventLog } from '../../src/store/event-log.js';
import { ALICE_CARD, CabinetScenario } from '../support/cabinet-scenario.js';

// The console's event filters are not written in a badge's commit (migration 014): the runner
// fills them a second later, for whatever recorded the events.

let hardware: CabinetHardware | undefined;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  hardware?.allOff();
  vi.useRealTimers();
});

function rig(): {
  runner: CabinetRunner;
  db: Database;
  log: EventLog;
  warn: ReturnType<typeof vi.fn>;
} {
  const scenario = new CabinetScenario();
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  hardware = claimHardware(gpio, loadProfile('sim', hardwareDir()), silentLogger());
  const db = openDatabase(':memory:');
  const log = new EventLog(db, 'cab', scenario.clock);
  const logger = silentLogger();
  const warn = vi.fn();
  logger.warn = warn as never;
  const runner = new CabinetRunner(
    scenario.state,
    { settings: scenario.settings, directory: scenario.directory, clock: scenario.clock },
    log,
    hardware.outputs,
    logger,
  );
  return { runner, db, log, warn };
}

it("fills a badge's events a second after its commit, not in it", () => {
  const { runner, db, log } = rig();
  const recorded = runner.handle({ kind: 'badge', card: ALICE_CARD });
  expect(recorded.length).toBeGreaterThan(0);
  expect(filteredUpTo(db)).toBe(0);
  vi.advanceTimersByTime(999);
  expect(filteredUpTo(db)).toBe(0);
  vi.advanceTimersByTime(1);
  expect(filteredUpTo(db)).toBe(log.lastSeq());
  runner.shutdown();
});

it('fills events recorded outside the runner (a custodian change) after the next tick', () => {
  const { runner, db, log } = rig();
  log.append([{ type: 'door.forced', data: {} }]);
  vi.advanceTimersByTime(5_000);
  expect(filteredUpTo(db)).toBe(0);
  runner.handle({ kind: 'tick' });
  vi.advanceTimersByTime(1_000);
  expect(filteredUpTo(db)).toBe(log.lastSeq());
  runner.shutdown();
});

it('a failing fill is logged once and retried at the next tick; shutdown cancels it', () => {
  const { runner, db, log, warn } = rig();
  log.append([{ type: 'door.forced', data: {} }]);
  // The fill fails while the cabinet's own steps still commit.
  db.exec(`CREATE TEMP TRIGGER no_fill BEFORE INSERT ON main.event_filters
           BEGIN SELECT RAISE(ABORT, 'refused'); END`);
  for (let i = 0; i < 3; i++) {
    runner.handle({ kind: 'tick' });
    vi.advanceTimersByTime(1_000);
  }
  expect(filteredUpTo(db)).toBe(0);
  expect(warn).toHaveBeenCalledTimes(1);
  db.exec('DROP TRIGGER no_fill');
  runner.handle({ kind: 'tick' });
  vi.advanceTimersByTime(1_000);
  expect(filteredUpTo(db)).toBe(log.lastSeq());
  log.append([{ type: 'door.forced', data: {} }]);
  runner.handle({ kind: 'tick' });
  runner.shutdown();
  vi.advanceTimersByTime(5_000);
  expect(filteredUpTo(db)).toBe(log.lastSeq() - 1);
});

it('no fill is tried while the database refuses the steps themselves (the storage alarm)', () => {
  const { runner, db, log, warn } = rig();
  log.append([{ type: 'door.forced', data: {} }]);
  db.pragma('query_only = ON');
  for (let i = 0; i < 3; i++) {
    runner.handle({ kind: 'tick' });
    vi.advanceTimersByTime(1_000);
  }
  expect(warn).not.toHaveBeenCalled();
  db.pragma('query_only = OFF');
  runner.handle({ kind: 'tick' });
  vi.advanceTimersByTime(1_000);
  expect(filteredUpTo(db)).toBe(log.lastSeq());
  runner.shutdown();
});
