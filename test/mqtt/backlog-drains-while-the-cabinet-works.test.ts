import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { NewEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { ALICE, seedCabinet } from '../support/seed.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/** The full 100,000 runs in `npm run bench` (outbox-drain); the suite keeps it short. */
const BACKLOG = 10_000;

let broker: Broker;
let daemon: Daemon;
let subscriber: MqttClient;
const seqs: number[] = [];
const types: string[] = [];

beforeAll(async () => {
  // A persistent session subscribed before the outage, with no queue limit: the broker keeps
  // every event for it however the reconnects of the daemon and the subscriber interleave.
  broker = await startMosquitto({ persistence: true, extraConfig: 'max_queued_messages 0' });
  const url = broker.url;
  subscriber = mqtt.connect(url, {
    protocolVersion: 5,
    clientId: 'backlog-central',
    clean: false,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 100,
  });
  subscriber.on('message', (_t, payload) => {
    const event = JSON.parse(payload.toString()) as { seq: number; type: string };
    seqs.push(event.seq);
    types.push(event.type);
  });
  await new Promise<void>((resolve) => subscriber.once('connect', () => resolve()));
  await subscriber.subscribeAsync('keywarden/v1/test-cab/event/#', { qos: 1 });
  await broker.stop(); // the broker is down while the backlog builds
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-backlog-'));
  const database = join(dir, 'cabinet.db');
  seedCabinet(database, 'test-cab');
  daemon = new Daemon({
    config: testConfig({
      database,
      mqtt: { url, reconnectMs: 100, reconnectMaxMs: 200 },
      sim: { port: 0 },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
  });
  await daemon.start();
  const filler: NewEvent[] = Array.from({ length: BACKLOG }, (_, i) => ({
    type: 'key.unknown_fob',
    data: { slot: (i % 12) + 1, tag: 'ABCD' },
  }));
  daemon.eventLog.append(filler);
});

afterAll(async () => {
  await daemon?.stop();
  await subscriber?.endAsync(true);
  await broker?.stop();
});

it('a backlog drains in sequence order once the broker returns, while badges are still served and recorded', async () => {
  await broker.restart();

  // While the backlog drains, a person badges: the grant is decided, recorded and acted on now.
  await waitFor(() => seqs.length > 100, 'the drain under way');
  daemon.sim!.badge(ALICE);
  await waitFor(() => daemon.sim!.snapshot().door.unlocked, 'the door unlocked during the drain');
  expect(seqs.length).toBeLessThan(BACKLOG); // it really happened mid-drain

  const last = daemon.eventLog.lastSeq();
  await waitFor(() => seqs.length >= last, `all ${last} events`, 60_000);
  expect(seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  expect(types.at(-1)).toBe('access.granted');
  await waitFor(() => daemon.eventLog.depth() === 0, 'the outbox empty', 30_000);
}, 90_000);
