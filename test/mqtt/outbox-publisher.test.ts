import { createServer, type AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/domain/events.js';
import { OutboxPublisher } from '../../src/mqtt/outbox-publisher.js';
import { topicsFor } from '../../src/mqtt/topics.js';
import { silentLogger } from '../../src/log/logger.js';
import { EventLog } from '../../src/store/event-log.js';
import { openDatabase } from '../../src/store/database.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { FakeClock } from '../support/fake-clock.js';
import { waitFor } from '../support/wait-for.js';

let broker: Broker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(() => broker.stop());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

async function connect(id: string): Promise<MqttClient> {
  const client = mqtt.connect(broker.url, {
    clientId: id,
    protocolVersion: 5,
    reconnectPeriod: 100,
  });
  clients.push(client);
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return client;
}

async function subscriber(): Promise<Array<{ topic: string; seq: number }>> {
  const seen: Array<{ topic: string; seq: number }> = [];
  const sub = await connect(`sub-${Math.random()}`);
  sub.on('message', (topic, payload) =>
    seen.push({ topic, seq: (JSON.parse(payload.toString()) as { seq: number }).seq }),
  );
  await sub.subscribeAsync('keywarden/v1/cab/event/#', { qos: 1 });
  return seen;
}

function outbox() {
  const db = openDatabase(':memory:');
  return new EventLog(db, 'cab', new FakeClock());
}

describe('OutboxPublisher against Mosquitto', () => {
  it('drains a backlog larger than a page in sequence order, one topic per event type, and empties the outbox', async () => {
    const seen = await subscriber();
    const log = outbox();
    const events = Array.from({ length: 450 }, (_, i): NewEvent =>
      i % 2
        ? { type: 'door.forced', data: {} }
        : { type: 'key.unknown_fob', data: { slot: 1, tag: 'ABCD' } },
    );
    log.append(events);
    const client = await connect('publisher-1');
    const publisher = new OutboxPublisher({
      client,
      log,
      topics: topicsFor('keywarden/v1', 'cab'),
      logger: silentLogger(),
      batchSize: 100,
    });
    publisher.notify();
    await waitFor(() => seen.length === 450, '450 events at the subscriber');
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    expect(seen[0]?.topic).toBe('keywarden/v1/cab/event/key.unknown_fob');
    expect(seen[1]?.topic).toBe('keywarden/v1/cab/event/door.forced');
    await waitFor(() => log.depth() === 0, 'outbox empty');
  });

  it('leaves events in the outbox while disconnected and sends them, in order, after the reconnect', async () => {
    const seen = await subscriber();
    const log = outbox();
    // A broker that takes the TCP connection and never answers: the client gives up after its
    // connectTimeout, and that 'close' is the marker that the 200 ms window has passed.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      reconnectPeriod: 0,
      connectTimeout: 200,
    });
    client.on('error', () => undefined);
    const attemptFailed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    clients.push(client);
    const publisher = new OutboxPublisher({
      client,
      log,
      topics: topicsFor('keywarden/v1', 'cab'),
      logger: silentLogger(),
    });
    log.append([
      { type: 'door.forced', data: {} },
      { type: 'door.forced', data: {} },
    ]);
    publisher.notify();
    await attemptFailed;
    silent.close();
    expect(log.depth()).toBe(2);
    expect(seen).toEqual([]);

    const live = await connect('publisher-2');
    const second = new OutboxPublisher({
      client: live,
      log,
      topics: topicsFor('keywarden/v1', 'cab'),
      logger: silentLogger(),
    });
    log.append([{ type: 'door.forced', data: {} }]);
    second.notify();
    await waitFor(() => seen.length === 3, 'three events');
    expect(seen.map((s) => s.seq)).toEqual([1, 2, 3]);
    await waitFor(() => log.depth() === 0, 'every event marked sent after its PUBACK');
  });
});
