import { afterEach, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { CabinetRunner, type SignalFeedback } from '../../src/daemon/cabinet-runner.js';
import { claimHardware } from '../../src/daemon/hardware.js';
import type { Signal } from '../../src/domain/cabinet-effects.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { EventLog } from '../../src/store/event-log.js';
import { openDatabase } from '../../src/store/database.js';
import { ALICE_CARD, CabinetScenario } from '../support/cabinet-scenario.js';

/**
 * The profile's `osdp.feedback`: the runner's signals also go to the badge reader, and with
 * "reader" they replace the Pi's pins, unless the reader could not take one (offline).
 */
const runners: CabinetRunner[] = [];
afterEach(() => runners.splice(0).forEach((r) => r.shutdown()));

function rig(feedback: SignalFeedback | undefined) {
  const scenario = new CabinetScenario();
  const gpio = new SimGpioDriver({ logger: silentLogger() });
  const hardware = claimHardware(gpio, loadProfile('sim', hardwareDir()), silentLogger());
  const runner = new CabinetRunner(
    scenario.state,
    { settings: scenario.settings, directory: scenario.directory, clock: scenario.clock },
    new EventLog(openDatabase(':memory:'), 'cab', scenario.clock),
    hardware.outputs,
    silentLogger(),
  );
  runners.push(runner);
  runner.useSignalFeedback(feedback);
  const lit = () =>
    gpio
      .outputs()
      .filter((o) => o.on && o.name.startsWith('indicator.'))
      .map((o) => o.name);
  return { runner, lit };
}

function feedback(replacesPins: boolean, online: () => boolean) {
  const shown: Signal[] = [];
  const hook: SignalFeedback = {
    replacesPins,
    show: (signal) => {
      if (!online()) return false;
      shown.push(signal);
      return true;
    },
  };
  return { hook, shown };
}

describe("the runner's signals on the reader", () => {
  it('"reader": a denial shows on the reader, not the pins', () => {
    const f = feedback(true, () => true);
    const { runner, lit } = rig(f.hook);
    runner.handle({ kind: 'badge', card: 'FFFFFFFFFF' });
    expect(f.shown).toEqual(['denied']);
    expect(lit()).toEqual([]);
  });

  it('"reader" with the reader offline: the pins show it instead', () => {
    const f = feedback(true, () => false);
    const { runner, lit } = rig(f.hook);
    runner.handle({ kind: 'badge', card: 'FFFFFFFFFF' });
    expect(f.shown).toEqual([]);
    expect(lit()).toEqual(['indicator.red']);
  });

  it('"both": the reader and the pins', () => {
    const f = feedback(false, () => true);
    const { runner, lit } = rig(f.hook);
    runner.handle({ kind: 'badge', card: ALICE_CARD });
    expect(f.shown).toContain('granted');
    expect(lit()).toEqual(['indicator.green']);
  });

  it('the end of a session always reaches the pins: a green lit while the reader was away goes off', () => {
    let online = false;
    const f = feedback(true, () => online);
    const { runner, lit } = rig(f.hook);
    runner.handle({ kind: 'badge', card: ALICE_CARD });
    expect(lit()).toEqual(['indicator.green']);
    online = true;
    runner.handle({ kind: 'door', open: true });
    runner.handle({ kind: 'door', open: false });
    expect(f.shown).toContain('session_ended');
    expect(lit()).toEqual([]);
  });

  it('a feedback that throws never stops the step: the pins show the signal', () => {
    const { runner, lit } = rig({
      replacesPins: true,
      show: () => {
        throw new Error('bus gone');
      },
    });
    runner.handle({ kind: 'badge', card: 'FFFFFFFFFF' });
    expect(lit()).toEqual(['indicator.red']);
  });
});
