import { expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { CabinetRunner } from '../../src/daemon/cabinet-runner.js';
import { claimHardware } from '../../src/daemon/hardware.js';
import { initialCabinetState } from '../../src/domain/cabinet-state.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { EventLog } from '../../src/store/event-log.js';
import { openDatabase } from '../../src/store/database.js';
import { ALICE_CARD, CabinetScenario } from '../support/cabinet-scenario.js';

it('when the grant cannot be committed, the door and slots stay locked and the state does not move', () => {
  const scenario = new CabinetScenario(); // directory, settings and clock of the domain tests
  const profile = loadProfile('sim', hardwareDir());
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  const hardware = claimHardware(gpio, profile, silentLogger());
  const db = openDatabase(':memory:');
  const log = new EventLog(db, 'cab', scenario.clock);
  const runner = new CabinetRunner(
    scenario.state,
    { settings: scenario.settings, directory: scenario.directory, clock: scenario.clock },
    log,
    hardware.outputs,
    silentLogger(),
  );
  db.close(); // the storage fails under the runner's feet

  expect(runner.handle({ kind: 'badge', card: ALICE_CARD })).toEqual([]);
  // Only the red LED (the denial) may light: no door, no solenoid, no green.
  expect(
    gpio
      .outputs()
      .filter((o) => o.on)
      .map((o) => o.name),
  ).toEqual(['indicator.red']);
  expect(runner.current.session).toBeNull();
  runner.shutdown();
});

it('when the grant is committed, the hardware acts after it', () => {
  const scenario = new CabinetScenario();
  const profile = loadProfile('sim', hardwareDir());
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  const hardware = claimHardware(gpio, profile, silentLogger());
  const db = openDatabase(':memory:');
  const order: string[] = [];
  const log = new EventLog(db, 'cab', scenario.clock);
  const transaction = log.transaction.bind(log);
  log.transaction = <T>(body: () => T): T => {
    const result = transaction(body);
    order.push('commit');
    return result;
  };
  gpio.onOutput((e) => {
    if (e.on) order.push(e.name);
  });
  const runner = new CabinetRunner(
    initialCabinetState(4),
    { settings: scenario.settings, directory: scenario.directory, clock: scenario.clock },
    log,
    hardware.outputs,
    silentLogger(),
  );
  runner.handle({ kind: 'presence', slot: 1, present: true });
  order.length = 0;
  const recorded = runner.handle({ kind: 'badge', card: ALICE_CARD });
  expect(recorded.map((e) => e.type)).toEqual(['access.granted']);
  expect(order).toEqual(['commit', 'door.lock', 'slot1.solenoid', 'indicator.green']);
  hardware.allOff();
});
