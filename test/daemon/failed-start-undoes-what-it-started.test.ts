import { afterEach, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile, type HardwareProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { isKeywardenError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { recordedEvents } from '../support/recorded-events.js';
import { useTempDb } from '../support/temp-db.js';
import { testConfig } from '../support/test-config.js';

/**
 * A start that fails part-way (here the last thing built: a badge reader the driver refuses)
 * stops what had started, newest first: the run is recorded as ended and the cabinet's lock
 * (released last, after the GPIO closed) is free for the next start.
 */

const temp = useTempDb();
const daemons: Daemon[] = [];

afterEach(async () => {
  await Promise.all(daemons.splice(0).map((d) => d.stop()));
});

function daemonOn(database: string, profile: HardwareProfile, gpio: SimGpioDriver): Daemon {
  const daemon = new Daemon({
    // No broker: the daemon starts and stops without one.
    config: testConfig({
      database,
      mqtt: { url: 'mqtt://127.0.0.1:9', reconnectMs: 60_000 },
      sim: { host: '127.0.0.1', port: 0 },
    }),
    profile,
    logger: silentLogger(),
    gpio,
  });
  daemons.push(daemon);
  return daemon;
}

it('stops what it started: cabinet.stopped recorded, the lock released', async () => {
  const { file, db } = temp.open();
  db.close();
  const profile = loadProfile('sim', hardwareDir());
  const badge = { ...profile.readers.badge, protocol: 'ascii-line' as const };
  delete badge.lineFormat;
  const gpio = new SimGpioDriver({ logger: silentLogger() });

  const failing = daemonOn(file, { ...profile, readers: { ...profile.readers, badge } }, gpio);
  const error = await failing.start().then(
    () => undefined,
    (err: unknown) => err,
  );

  expect(isKeywardenError(error, 'CONFIG_INVALID')).toBe(true);
  expect(recordedEvents(file).map((e) => [e.type, e.data])).toEqual([
    ['cabinet.started', expect.anything()],
    ['cabinet.stopped', { reason: 'failed to start' }],
  ]);
  const next = daemonOn(file, profile, new SimGpioDriver({ logger: silentLogger() }));
  await expect(next.start()).resolves.toBeUndefined();
});
