import { afterEach, expect, it, vi } from 'vitest';
import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { useTempDb } from '../support/temp-db.js';
import { testConfig } from '../support/test-config.js';

/**
 * The simulator and its HTTP server are code a cabinet on real GPIO never runs: the daemon
 * loads them only when its GPIO is simulated (bench/README.md, "Where the memory goes").
 * Each simulator module records when it is first loaded.
 */
const loaded = vi.hoisted(() => [] as string[]);
vi.mock('../../src/sim/sim-cabinet.js', async (original) => {
  loaded.push('sim-cabinet');
  return original();
});
vi.mock('../../src/sim/sim-http.js', async (original) => {
  loaded.push('sim-http');
  return original();
});
vi.mock('../../src/sim/sim-state-file.js', async (original) => {
  loaded.push('sim-state-file');
  return original();
});

const temp = useTempDb();
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
});

/** GPIO that is not the simulator's: what the daemon sees on a Pi (onoff), as far as it can tell. */
function hardwareLikeGpio(): GpioDriver {
  const pins = new SimGpioDriver({ logger: silentLogger() });
  return {
    output: (spec) => pins.output(spec),
    input: (spec, options) => pins.input(spec, options),
    close: () => pins.close(),
  };
}

async function startDaemon(gpio: GpioDriver): Promise<Daemon> {
  const { file, db } = temp.open();
  db.close();
  daemon = new Daemon({
    // No broker: the daemon starts and runs without one.
    config: testConfig({
      database: file,
      mqtt: { url: 'mqtt://127.0.0.1:9', reconnectMs: 60_000 },
      sim: { host: '127.0.0.1', port: 0 },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio,
  });
  await daemon.start();
  return daemon;
}

it('starts a cabinet on GPIO other than the simulator without loading the simulator', async () => {
  const cabinet = await startDaemon(hardwareLikeGpio());
  expect(cabinet.sim).toBeUndefined();
  expect(loaded).toEqual([]);
});

it('loads the simulator and its control server when the GPIO is simulated', async () => {
  const cabinet = await startDaemon(new SimGpioDriver({ logger: silentLogger() }));
  expect(cabinet.sim).toBeDefined();
  expect(cabinet.simAddress?.port).toBeGreaterThan(0);
  expect([...loaded].sort()).toEqual(['sim-cabinet', 'sim-http', 'sim-state-file']);
});
