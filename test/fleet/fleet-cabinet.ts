import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import type { TestSigner } from '../support/command-signer.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

export const CABINET = 'test-cab';

/**
 * The daemon in-process on the simulated cabinet, with a real SQLite file, on the broker at
 * `url`: the fleet tests' cabinet. It accepts commands signed by `signer`, reconnects within
 * half a second, and sends again what the central server has not acknowledged after
 * `resendAfterSeconds`.
 */
export async function startFleetCabinet(options: {
  url: string;
  signer: TestSigner;
  protocolVersion?: 4 | 5;
  resendAfterSeconds?: number;
  /** Default: silent. */
  logger?: Logger;
}): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-fleet-'));
  const daemon = new Daemon({
    config: testConfig({
      cabinetId: CABINET,
      database: join(dir, 'cabinet.db'),
      mqtt: {
        url: options.url,
        protocolVersion: options.protocolVersion ?? 5,
        reconnectMs: 100,
        reconnectMaxMs: 500,
      },
      sim: { host: '127.0.0.1', port: 0 },
      delivery: { resendAfterSeconds: options.resendAfterSeconds ?? 60 },
      commands: { keys: [options.signer.configKey] },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: options.logger ?? silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
  });
  await daemon.start();
  await waitFor(
    () => daemon.mqtt.connected && daemon.eventLog.depth() === 0,
    'cabinet online',
    30_000,
  );
  return daemon;
}

/** Records `count` events as the cabinet would and wakes its outbox; does not wait. */
export function record(daemon: Daemon, count: number, tag: string): void {
  for (let i = 0; i < count; i++) {
    daemon.eventLog.append([{ type: 'key.unknown_fob', data: { slot: 3, tag: `${tag}${i}` } }]);
  }
  daemon.mqtt.publisher.notify();
}

/** Every event the cabinet recorded, by seq: what the central server must end up with. */
export function recordedIds(daemon: Daemon): Map<number, string> {
  const all = daemon.eventLog.recent(1_000_000);
  return new Map(all.map((e) => [e.seq, e.id]));
}
