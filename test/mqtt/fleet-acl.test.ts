import { fileURLToPath } from 'node:url';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { passwordFile } from '../support/mosquitto-users.js';
import { waitFor } from '../support/wait-for.js';

// The ACL files we ship, loaded as they are. The listener here is plain TCP on loopback; the
// TLS listener of docs/mosquitto/keywarden-fleet.conf applies the same ACL.
const docs = (name: string): string =>
  fileURLToPath(new URL(`../../docs/mosquitto/${name}`, import.meta.url));

const USERS = { 'cab-a': 'secret-a', 'cab-b': 'secret-b', central: 'secret-central' } as const;
type User = keyof typeof USERS;
const NOT_AUTHORIZED = 0x87; // MQTT 5 reason code 135

const brokers = new Map<string, Broker>();
const clients: MqttClient[] = [];

beforeAll(async () => {
  const users = passwordFile(USERS);
  for (const acl of ['acl', 'acl.strict']) {
    const extraConfig = [
      'allow_anonymous false',
      `password_file ${users}`,
      `acl_file ${docs(acl)}`,
    ].join('\n');
    brokers.set(acl, await startMosquitto({ extraConfig }));
  }
});
afterAll(async () => {
  await Promise.all([...brokers.values()].map((b) => b.stop()));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

function brokerFor(acl: string): Broker {
  const broker = brokers.get(acl);
  if (broker === undefined) throw new Error(`no broker for ${acl}`);
  return broker;
}

async function login(acl: string, user: User, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(brokerFor(acl).url, {
    protocolVersion: 5,
    username: user,
    password: USERS[user],
    reconnectPeriod: 0,
    ...options,
  });
  clients.push(client);
  return client;
}

function inbox(client: MqttClient): string[] {
  const topics: string[] = [];
  client.on('message', (topic) => topics.push(topic));
  return topics;
}

describe.each([
  { acl: 'acl', ownInboxWritable: true },
  { acl: 'acl.strict', ownInboxWritable: false },
])('docs/mosquitto/$acl', ({ acl, ownInboxWritable }) => {
  it('lets a cabinet publish every topic of its contract, and the central server receives them', async () => {
    const central = await login(acl, 'central');
    const seen = inbox(central);
    await central.subscribeAsync('keywarden/v1/cab-a/#', { qos: 1, rh: 2 });
    const cabinet = await login(acl, 'cab-a');
    const own = ['event/key.checked_out', 'status', 'inventory', 'alarms', 'reply'].map(
      (level) => `keywarden/v1/cab-a/${level}`,
    );
    for (const topic of own) {
      const retain = topic.endsWith('/status');
      await expect(cabinet.publishAsync(topic, '{}', { qos: 1, retain })).resolves.toBeDefined();
    }
    await waitFor(() => seen.length === own.length, 'all five messages at the central server');
    expect(seen).toEqual(own);
  });

  it("refuses a cabinet's publish to another cabinet or outside keywarden/v1 with PUBACK 0x87, and delivers nothing", async () => {
    const central = await login(acl, 'central');
    const seen = inbox(central);
    await central.subscribeAsync('keywarden/v1/+/event/#', { qos: 1 });
    const cabinet = await login(acl, 'cab-a');
    for (const topic of ['keywarden/v1/cab-b/event/x', 'keywarden/v1/cab-b/status', 'other/x']) {
      await expect(cabinet.publishAsync(topic, '{}', { qos: 1 })).rejects.toMatchObject({
        code: NOT_AUTHORIZED,
      });
    }
    // Still connected, and a later allowed publish arrives alone.
    await cabinet.publishAsync('keywarden/v1/cab-a/event/marker', '{}', { qos: 1 });
    await waitFor(() => seen.length > 0, 'the marker at the central server');
    expect(seen).toEqual(['keywarden/v1/cab-a/event/marker']);
  });

  it("grants a cabinet's subscription to another cabinet's topics but never delivers through it", async () => {
    const cabinet = await login(acl, 'cab-a');
    const seen = inbox(cabinet);
    // Mosquitto 2.0.11's acl_file is checked when a message is delivered, not at SUBSCRIBE.
    const granted = await cabinet.subscribeAsync(
      ['keywarden/v1/cab-b/cmd/#', 'keywarden/v1/+/ack', 'keywarden/v1/cab-a/cmd/#'],
      { qos: 1 },
    );
    expect(granted.map((g) => g.qos)).toEqual([1, 1, 1]);
    const central = await login(acl, 'central');
    for (const topic of ['cab-b/cmd/ping', 'cab-b/ack', 'cab-a/cmd/ping', 'cab-a/ack'])
      await central.publishAsync(`keywarden/v1/${topic}`, '{}', { qos: 1 });
    await waitFor(() => seen.length >= 2, "the cabinet's own command and ack");
    expect(seen.sort()).toEqual(['keywarden/v1/cab-a/ack', 'keywarden/v1/cab-a/cmd/ping']);
  });

  it('delivers the central server’s command and ack to the cabinet', async () => {
    const cabinet = await login(acl, 'cab-a');
    const received: Array<{ topic: string; payload: string }> = [];
    cabinet.on('message', (topic, payload) => received.push({ topic, payload: String(payload) }));
    await cabinet.subscribeAsync(['keywarden/v1/cab-a/cmd/#', 'keywarden/v1/cab-a/ack'], {
      qos: 1,
    });
    const central = await login(acl, 'central');
    await central.publishAsync('keywarden/v1/cab-a/cmd/ping', '{"n":1}', { qos: 1 });
    await central.publishAsync('keywarden/v1/cab-a/ack', '{"seq":7}', { qos: 1 });
    await waitFor(() => received.length === 2, 'command and ack at the cabinet');
    expect(received).toEqual([
      { topic: 'keywarden/v1/cab-a/cmd/ping', payload: '{"n":1}' },
      { topic: 'keywarden/v1/cab-a/ack', payload: '{"seq":7}' },
    ]);
  });

  it(`${ownInboxWritable ? 'lets' : 'does not let'} a cabinet publish to its own cmd and ack topics`, async () => {
    const cabinet = await login(acl, 'cab-a');
    for (const topic of ['keywarden/v1/cab-a/cmd/ping', 'keywarden/v1/cab-a/ack']) {
      const publish = cabinet.publishAsync(topic, '{}', { qos: 1 });
      if (ownInboxWritable) await expect(publish).resolves.toBeDefined();
      else await expect(publish).rejects.toMatchObject({ code: NOT_AUTHORIZED });
    }
  });
});

describe('authentication and protocol version (docs/mosquitto/acl)', () => {
  it.each([
    { who: 'a wrong password', username: 'cab-a', password: 'wrong', version: 5, code: 0x87 },
    { who: 'an unknown user', username: 'cab-z', password: 'secret-a', version: 5, code: 0x87 },
    {
      who: 'an anonymous client',
      username: undefined,
      password: undefined,
      version: 5,
      code: 0x87,
    },
    { who: 'a wrong password', username: 'cab-a', password: 'wrong', version: 4, code: 5 },
  ] as const)(
    'refuses $who over MQTT $version with CONNACK code $code',
    async ({ username, password, version, code }) => {
      const attempt = mqtt.connectAsync(
        brokerFor('acl').url,
        { protocolVersion: version, username, password, reconnectPeriod: 0 },
        false,
      );
      await expect(attempt).rejects.toMatchObject({ code });
    },
  );

  it('over MQTT 3.1.1 refusals are silent: PUBACK and SUBACK as if accepted, nothing delivered', async () => {
    const central = await login('acl', 'central');
    const seen = inbox(central);
    await central.subscribeAsync('keywarden/v1/+/event/#', { qos: 1 });
    const cabinet = await login('acl', 'cab-a', { protocolVersion: 4 });
    const received = inbox(cabinet);
    // MQTT 3.1.1's PUBACK has no reason code: the publisher cannot tell it was dropped.
    await expect(
      cabinet.publishAsync('keywarden/v1/cab-b/event/x', '{}', { qos: 1 }),
    ).resolves.toBeDefined();
    const granted = await cabinet.subscribeAsync(
      ['keywarden/v1/cab-b/cmd/#', 'keywarden/v1/cab-a/cmd/#'],
      { qos: 1 },
    );
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    await central.publishAsync('keywarden/v1/cab-b/cmd/ping', '{}', { qos: 1 });
    await central.publishAsync('keywarden/v1/cab-a/cmd/ping', '{}', { qos: 1 });
    await cabinet.publishAsync('keywarden/v1/cab-a/event/marker', '{}', { qos: 1 });
    await waitFor(() => seen.length > 0 && received.length > 0, 'both markers');
    expect(seen).toEqual(['keywarden/v1/cab-a/event/marker']);
    expect(received).toEqual(['keywarden/v1/cab-a/cmd/ping']);
  });
});
