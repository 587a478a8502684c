import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { installCrashGuard } from '../../src/daemon/crash-guard.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { DEMO_CARDS } from '../../src/daemon/demo-data.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { testConfig } from '../support/test-config.js';

/**
 * The handler `keywarden run` installs on the process, here on a stand-in process, over a real
 * daemon on simulated GPIO with a session open (door unlocked, slots energised, green on).
 */
describe('an unhandled error drives every output off before the process exits', () => {
  let daemon: Daemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  async function daemonMidSession() {
    const gpio = new SimGpioDriver({ logger: silentLogger() });
    daemon = new Daemon({
      config: testConfig({
        mqtt: { url: 'mqtt://127.0.0.1:1', reconnectMs: 60_000 },
        sim: { host: '127.0.0.1', port: 0 },
      }),
      profile: loadProfile('sim', hardwareDir()),
      logger: silentLogger(),
      demo: true,
      gpio,
    });
    await daemon.start();
    daemon.runner.handle({ kind: 'badge', card: DEMO_CARDS.alice });
    const on = gpio.outputs().filter((o) => o.on);
    // The test means something only if outputs are on when the error strikes.
    expect(on.map((o) => o.name)).toEqual(expect.arrayContaining(['door.lock', 'indicator.green']));
    expect(on.some((o) => o.name.endsWith('.solenoid'))).toBe(true);
    return { gpio, daemon };
  }

  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    it(`on ${event}: outputs off, then exit 1`, async () => {
      const { gpio, daemon } = await daemonMidSession();
      const fakeProcess = new EventEmitter();
      const order: string[] = [];
      gpio.onOutput((e) => order.push(`${e.name}=${e.on ? 'on' : 'off'}`));
      installCrashGuard(fakeProcess, {
        failSafe: () => daemon.failSafe(),
        logger: silentLogger(),
        exit: (code) => order.push(`exit ${code}`),
      });

      fakeProcess.emit(event, new Error('a bug'));

      expect(gpio.outputs().filter((o) => o.on)).toEqual([]);
      expect(order.at(-1)).toBe('exit 1');
      expect(order.filter((o) => o.startsWith('exit'))).toHaveLength(1);
    });
  }

  it('exits even when driving the outputs off throws, and only once for a second error', () => {
    const fakeProcess = new EventEmitter();
    const exits: number[] = [];
    installCrashGuard(fakeProcess, {
      failSafe: () => {
        throw new Error('gpio gone');
      },
      logger: silentLogger(),
      exit: (code) => exits.push(code),
    });
    fakeProcess.emit('uncaughtException', new Error('first'));
    fakeProcess.emit('unhandledRejection', new Error('second'));
    expect(exits).toEqual([1]);
  });
});
