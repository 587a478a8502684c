import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { testConfig } from './test-config.js';
import { waitFor } from './wait-for.js';

/**
 * The daemon in-process on the simulated cabinet, with a real SQLite file, connected to `url`,
 * for delivery tests: `record` adds events as the cabinet would and wakes its outbox.
 */
export async function startDeliveryCabinet(
  url: string,
  delivery: { resendAfterSeconds: number },
): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-delivery-'));
  const daemon = new Daemon({
    config: testConfig({
      database: join(dir, 'cabinet.db'),
      mqtt: { url, reconnectMs: 100, reconnectMaxMs: 500 },
      sim: { host: '127.0.0.1', port: 0 },
      delivery,
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
  });
  await daemon.start();
  await waitFor(() => daemon.mqtt.connected && daemon.eventLog.depth() === 0, 'cabinet online');
  return daemon;
}

/** Records `count` events, wakes the outbox and waits until the broker has PUBACKed them all. */
export async function recordAndPublish(daemon: Daemon, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    daemon.eventLog.append([{ type: 'key.unknown_fob', data: { slot: 3, tag: `BEEF${i}` } }]);
  }
  daemon.mqtt.publisher.notify();
  await waitFor(() => daemon.eventLog.depth() === 0, 'every event PUBACKed by the broker');
  return daemon.eventLog.lastSeq();
}
