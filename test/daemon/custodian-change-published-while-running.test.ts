import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { runCli } from '../support/run-cli.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';
import { writeFileSync } from 'node:fs';

let broker: Broker;
let daemon: Daemon;
let gpio: SimGpioDriver;
let subscriber: MqttClient;
let configFile: string;
const received: Array<{ type: string; data: Record<string, unknown> }> = [];

beforeAll(async () => {
  broker = await startMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-daemon-'));
  const settings = {
    cabinetId: 'test-cab',
    profile: 'sim',
    database: join(dir, 'cabinet.db'),
    mqtt: { url: broker.url, reconnectMs: 100 },
    sim: { host: '127.0.0.1', port: 0 },
    // The Unix user running the tests is custodian carol, whom --as carol names.
    custodians: { accounts: { [userInfo().username]: { account: 'carol', role: 'custodian' } } },
  };
  configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ version: 1, ...settings }));
  subscriber = mqtt.connect(broker.url, { protocolVersion: 5 });
  subscriber.on('message', (_t, payload) =>
    received.push(JSON.parse(payload.toString()) as (typeof received)[number]),
  );
  await new Promise<void>((resolve) => subscriber.once('connect', () => resolve()));
  await subscriber.subscribeAsync('keywarden/v1/test-cab/event/#', { qos: 1 });
  gpio = new SimGpioDriver({ logger: silentLogger() });
  daemon = new Daemon({
    config: testConfig(settings),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio,
  });
  await daemon.start();
});

afterAll(async () => {
  await daemon.stop();
  await subscriber.endAsync(true);
  await broker.stop();
});

it('every output is off once the daemon has started', () => {
  expect(gpio.outputs().length).toBe(12 + 4);
  expect(gpio.outputs().filter((o) => o.on)).toEqual([]);
});

it('a change made with the CLI on the same database is published by the running daemon', async () => {
  const result = await runCli([
    'holder',
    'add',
    '--name',
    'Erin',
    '--as',
    'carol',
    '--config',
    configFile,
  ]);
  expect(result.code).toBe(0);
  await waitFor(() => received.some((e) => e.type === 'holder.added'), 'holder.added over MQTT');
  expect(received.find((e) => e.type === 'holder.added')?.data).toEqual({
    actor: { kind: 'custodian', account: 'carol' },
    holderId: 1,
    name: 'Erin',
  });
  expect(received[0]?.type).toBe('cabinet.started');
});
