import { afterEach, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import { claimHardware } from '../../src/daemon/hardware.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { ALICE_CARD, BOB_CARD, CabinetScenario } from '../support/cabinet-scenario.js';

/**
 * `handleBadge`: the reader asks, inside the badge's own transaction, whether the card is wanted
 * for an enrolment; a card so wanted is not decided, recorded or driven.
 */
const runners: CabinetRunner[] = [];
afterEach(() => runners.splice(0).forEach((r) => r.shutdown()));

function rig() {
  const scenario = new CabinetScenario();
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  const hardware = claimHardware(gpio, loadProfile('sim', hardwareDir()), silentLogger());
  const db = openDatabase(':memory:');
  const log = new EventLog(db, 'cab', scenario.clock);
  const runner = new CabinetRunner(
    scenario.state,
    { settings: scenario.settings, directory: scenario.directory, clock: scenario.clock },
    log,
    hardware.outputs,
    silentLogger(),
  );
  runners.push(runner);
  const energised = () =>
    gpio
      .outputs()
      .filter((o) => o.on && o.name.endsWith('.solenoid'))
      .map((o) => o.name);
  const lit = () =>
    gpio
      .outputs()
      .filter((o) => o.on && o.name.startsWith('indicator.'))
      .map((o) => o.name);
  const inputs: string[] = [];
  runner.on('input', (input) => inputs.push(input.kind));
  return { runner, db, log, energised, lit, inputs };
}

describe('a badge the reader wants for something else', () => {
  it('is asked about inside the badge transaction, and then neither decided nor recorded', () => {
    const { runner, db, log, energised, inputs } = rig();
    const before = runner.current;
    let inTransaction: boolean | undefined;
    const decided = runner.handleBadge(ALICE_CARD, () => {
      inTransaction = db.inTransaction;
      return true;
    });
    expect(inTransaction).toBe(true);
    expect(decided).toBe(false);
    expect(log.lastSeq()).toBe(0);
    expect(energised()).toEqual([]);
    expect(runner.current).toBe(before);
    expect(inputs).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it('is decided as any badge when not wanted: granted, recorded, released', () => {
    const { runner, log, energised, inputs } = rig();
    expect(runner.handleBadge(ALICE_CARD, () => false)).toBe(true);
    expect(log.lastSeq()).toBeGreaterThan(0);
    expect(energised().length).toBeGreaterThan(0);
    expect(inputs).toEqual(['badge']);
  });

  it('a question the disk fails is a failed step: nothing released, told no, alarm raised', () => {
    const { runner, log, energised, lit } = rig();
    // A session open first, so that "everything locked" has something to lock.
    runner.handleBadge(ALICE_CARD, () => false);
    expect(energised().length).toBeGreaterThan(0);
    const seq = log.lastSeq();
    const decided = runner.handleBadge(BOB_CARD, () => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_READ' });
    });
    // Decided (refused), so the reader does not go on to offer the card to an enrolment.
    expect(decided).toBe(true);
    expect(log.lastSeq()).toBe(seq);
    expect(energised()).toEqual([]);
    expect(lit()).toContain('indicator.red');
    expect(runner.storage.alarms().map((a) => a.type)).toEqual(['storage.failed']);
  });
});
