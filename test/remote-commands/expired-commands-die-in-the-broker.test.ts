import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectOptions } from '../../src/mqtt/connect-options.js';
import { topicsFor } from '../../src/mqtt/topics.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { testConfig } from '../support/test-config.js';
import { pace, waitFor } from '../support/wait-for.js';

let broker: Broker;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await broker.stop();
});

/** The cabinet's connection, made with the daemon's own options (MQTT 5, persistent session). */
async function cabinet(received: string[]): Promise<MqttClient> {
  const config = testConfig({ mqtt: { url: broker.url } });
  const topics = topicsFor(config.mqtt.topicPrefix, config.cabinetId);
  const client = mqtt.connect(
    broker.url,
    connectOptions(config, { topic: topics.status, payload: 'offline' }),
  );
  clients.push(client);
  client.on('message', (topic) => received.push(topic.slice(topic.lastIndexOf('/') + 1)));
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  await client.subscribeAsync(topics.commandWildcard, { qos: 1 });
  return client;
}

it('a command with a 1 s message expiry, sent while the cabinet is away, is not delivered 2 s later', async () => {
  const received: string[] = [];
  const first = await cabinet(received);
  await first.endAsync(true); // gone, its session (and subscription) kept by the broker

  const server = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  clients.push(server);
  const cmd = (name: string) => `keywarden/v1/test-cab/cmd/${name}`;
  await server.publishAsync(cmd('emergency_release'), '{}', {
    qos: 1,
    properties: { messageExpiryInterval: 1 },
  });
  await server.publishAsync(cmd('ping'), '{}', { qos: 1 }); // no expiry: still queued
  // The expiry runs on the broker's own clock, in whole seconds: only real time passes it.
  await pace(2_000, "the broker's clock past the command's 1 s expiry");

  await cabinet(received);
  // The broker delivers a session's queue in order: the ping, queued after the expired
  // command, arriving proves that command was not delivered before it.
  await waitFor(() => received.includes('ping'), 'the queued command without expiry');
  expect(received).toEqual(['ping']);
});
