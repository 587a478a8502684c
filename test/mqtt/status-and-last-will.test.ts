import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MqttLink } from '../../src/mqtt/mqtt-link.js';
import { silentLogger } from '../../src/log/logger.js';
import { EventLog } from '../../src/store/event-log.js';
import { openDatabase } from '../../src/store/database.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { FakeClock } from '../support/fake-clock.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

let broker: Broker;
let watcher: MqttClient;
const statuses: Array<{ state: string; retained: boolean; body: Record<string, unknown> }> = [];
const latestOnline = () => statuses.filter((s) => s.state === 'online').at(-1)?.body;

beforeAll(async () => {
  broker = await startMosquitto();
  watcher = mqtt.connect(broker.url, { protocolVersion: 5 });
  watcher.on('message', (_t, payload, packet) => {
    const body = JSON.parse(payload.toString()) as { state: string };
    statuses.push({ state: body.state, retained: packet.retain, body });
  });
  await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
  await watcher.subscribeAsync('keywarden/v1/test-cab/status', { qos: 1 });
});

afterAll(async () => {
  await watcher.endAsync(true);
  await broker.stop();
});

function link(log = new EventLog(openDatabase(':memory:'), 'test-cab', new FakeClock())): MqttLink {
  const config = testConfig({ mqtt: { url: broker.url, reconnectMs: 100 } });
  return new MqttLink(config, log, silentLogger(), {
    version: '9.9.9',
    startedAt: '2026-11-24T09:00:00.000Z',
  });
}

const statusCount = () => statuses.filter((s) => s.state === 'online').length;

async function retainedStatus(): Promise<Record<string, unknown>> {
  const probe = mqtt.connect(broker.url, { protocolVersion: 5 });
  try {
    const message = new Promise<Record<string, unknown>>((resolve) =>
      probe.once('message', (_t, payload) =>
        resolve(JSON.parse(payload.toString()) as Record<string, unknown>),
      ),
    );
    await probe.subscribeAsync('keywarden/v1/test-cab/status', { qos: 1 });
    return await message;
  } finally {
    await probe.endAsync(true);
  }
}

it('publishes a retained online status once connected, and a retained offline on a clean stop', async () => {
  const cabinet = link();
  await waitFor(() => statuses.some((s) => s.state === 'online'), 'online status');
  expect(await retainedStatus()).toEqual({
    state: 'online',
    cabinetId: 'test-cab',
    version: '9.9.9',
    startedAt: '2026-11-24T09:00:00.000Z',
    outboxDepth: 0,
    lastAckedSeq: 0,
    lastSeq: 0,
  });
  await cabinet.stop();
  expect(await retainedStatus()).toMatchObject({ state: 'offline' });
});

it('leaves a retained offline will when the connection dies without a goodbye', async () => {
  const cabinet = link();
  await waitFor(() => statuses.at(-1)?.state === 'online', 'online again');
  expect((await retainedStatus()).state).toBe('online');
  cabinet.client.options.reconnectPeriod = 0; // stay dead once the socket goes
  cabinet.client.stream.destroy(); // the process died: no DISCONNECT packet was sent
  await waitFor(() => statuses.at(-1)?.state === 'offline', 'the broker publishing the will');
  expect((await retainedStatus()).state).toBe('offline');
  await cabinet.client.endAsync(true);
});

it('coalesces the status while events flow: the latest state, about once a second', async () => {
  const log = new EventLog(openDatabase(':memory:'), 'test-cab', new FakeClock());
  const cabinet = link(log);
  await waitFor(() => statuses.at(-1)?.state === 'online', 'online');
  const before = statusCount();
  const started = performance.now();
  for (let i = 0; i < 400; i++) {
    // What the daemon does for each recorded event: wake the outbox, refresh the retained states.
    log.append([{ type: 'door.forced', data: {} }]);
    cabinet.publisher.notify();
    cabinet.retained.refresh();
    await new Promise((resolve) => setImmediate(resolve)); // let the publishes interleave
  }
  await waitFor(() => log.depth() === 0, 'the outbox drained');
  const drained = performance.now();
  await waitFor(() => latestOnline()?.lastSeq === 400, 'the final status (lastSeq 400)');
  expect(latestOnline()).toMatchObject({ outboxDepth: 0, lastSeq: 400 });
  const seconds = (drained - started) / 1000;
  // One at once, then at most one per second of activity, and the final state after it.
  expect(statusCount() - before).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  await cabinet.stop();
});
