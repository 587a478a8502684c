import { connect as tcpConnect } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startMosquitto, type Broker } from './mosquitto.js';

const brokers: Broker[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

async function start(options?: Parameters<typeof startMosquitto>[0]): Promise<Broker> {
  const broker = await startMosquitto(options);
  brokers.push(broker);
  return broker;
}

async function client(broker: Broker): Promise<MqttClient> {
  const c = await connectAsync(broker.url, { reconnectPeriod: 0 });
  clients.push(c);
  return c;
}

/** Subscribes and resolves with the first message on the topic. */
async function firstMessage(c: MqttClient, topic: string): Promise<string> {
  const message = new Promise<string>((resolve) =>
    c.on('message', (t, payload) => t === topic && resolve(payload.toString())),
  );
  await c.subscribeAsync(topic, { qos: 1 });
  return message;
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startMosquitto', () => {
  it('runs a broker that delivers a published message', async () => {
    const broker = await start();
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const subscriber = await client(broker);
    const received = firstMessage(subscriber, 'test/hello');
    await (await client(broker)).publishAsync('test/hello', 'hi', { qos: 1 });
    expect(await received).toBe('hi');
  });

  it('stops, then restarts on the same port', async () => {
    const broker = await start();
    const port = broker.port;
    await broker.stop();
    expect(await refusesConnections(port)).toBe(true);
    await broker.restart();
    expect(broker.port).toBe(port);
    const c = await client(broker);
    const received = firstMessage(c, 'test/again');
    await c.publishAsync('test/again', 'back', { qos: 1 });
    expect(await received).toBe('back');
  });

  it('with persistence, a retained message survives a restart', async () => {
    const broker = await start({ persistence: true });
    await (await client(broker)).publishAsync('test/state', 'kept', { qos: 1, retain: true });
    await broker.restart();
    expect(await firstMessage(await client(broker), 'test/state')).toBe('kept');
  });

  it('without persistence, a restart forgets retained messages', async () => {
    const broker = await start();
    const c = await client(broker);
    await c.publishAsync('test/state', 'lost', { qos: 1, retain: true });
    await broker.restart();
    const after = await client(broker);
    // A marker published after subscribing arrives after any retained message would have.
    const seen: string[] = [];
    after.on('message', (_topic, payload) => seen.push(payload.toString()));
    const marker = firstMessage(after, 'test/marker');
    await after.subscribeAsync('test/state', { qos: 1 });
    await after.publishAsync('test/marker', 'end', { qos: 1 });
    await marker;
    expect(seen).toEqual(['end']);
  });

  it('kill ends the broker at once', async () => {
    const broker = await start();
    await broker.kill();
    expect(await refusesConnections(broker.port)).toBe(true);
  });

  it('a bad config fails with the reason and the log', async () => {
    await expect(startMosquitto({ extraConfig: 'no_such_option 1' })).rejects.toThrow(
      /mosquitto .* exited with code \d+[\s\S]*no_such_option/,
    );
  });
});
