import { readFileSync } from 'node:fs';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KeywardenConfig } from '../../src/config/config.js';
import { connectOptions } from '../../src/mqtt/connect-options.js';
import { topicsFor } from '../../src/mqtt/topics.js';
import { passwordFile } from '../support/mosquitto-users.js';
import { testConfig } from '../support/test-config.js';
import {
  startMosquittoWithListener,
  testCerts,
  tlsListener,
  type TestCerts,
  type TlsBroker,
} from '../support/tls-certs.js';
import { waitFor } from '../support/wait-for.js';

const docs = (name: string): string =>
  fileURLToPath(new URL(`../../docs/mosquitto/${name}`, import.meta.url));

const PASSWORDS = {
  'test-cab': 'cab-secret',
  'cab-a': 'secret-a',
  'cab-b': 'secret-b',
  central: 'secret-central',
} as const;
type User = keyof typeof PASSWORDS;

let certs: TestCerts;
let users: string;
const brokers: TlsBroker[] = [];
const clients: MqttClient[] = [];

beforeAll(() => {
  certs = testCerts();
  users = passwordFile(PASSWORDS);
});
afterAll(async () => {
  await Promise.all(brokers.map((b) => b.broker.stop()));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

async function start(listener: (port: number) => string): Promise<TlsBroker> {
  const extraConfig = ['allow_anonymous false', `password_file ${users}`].join('\n');
  const broker = await startMosquittoWithListener(listener, { extraConfig });
  brokers.push(broker);
  return broker;
}

/** A cabinet's config as the daemon would load it, for a cabinet whose MQTT user is `user`. */
function cabinetConfig(url: string, user: User, tls: Record<string, string>): KeywardenConfig {
  return testConfig({
    cabinetId: user,
    mqtt: { url, username: user, password: PASSWORDS[user], ...tls },
  });
}

/**
 * Connects exactly as the daemon does, through connectOptions(), except that a failed attempt
 * is final (reconnectPeriod 0) so the test sees the first error instead of retries.
 */
async function connect(config: KeywardenConfig, clientId?: string): Promise<MqttClient> {
  const will = { topic: topicsFor('keywarden/v1', config.cabinetId).status, payload: 'offline' };
  const options = connectOptions(config, will);
  const client = await mqtt.connectAsync(
    config.mqtt.url,
    { ...options, ...(clientId === undefined ? {} : { clientId }), reconnectPeriod: 0 },
    false,
  );
  clients.push(client);
  return client;
}

function tlsSocket(client: MqttClient): TLSSocket {
  const stream: unknown = client.stream;
  if (!(stream instanceof TLSSocket)) throw new Error('the client is not on a TLS socket');
  return stream;
}

describe('TLS with the broker certificate checked (require_certificate false)', () => {
  let broker: TlsBroker;
  beforeAll(async () => {
    broker = await start((port) => tlsListener(port, certs, { requireCertificate: false }));
  });

  it('connects with mqtt.ca, the broker certificate verified, and publishes', async () => {
    const client = await connect(cabinetConfig(broker.tlsUrl, 'test-cab', { ca: certs.ca }));
    const socket = tlsSocket(client);
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerCertificate().subject.CN).toBe('127.0.0.1');
    await expect(
      client.publishAsync('keywarden/v1/test-cab/event/x', '{}', { qos: 1 }),
    ).resolves.toBeDefined();
  });

  it('refuses the broker without mqtt.ca: the system CAs do not know it', async () => {
    await expect(connect(cabinetConfig(broker.tlsUrl, 'test-cab', {}))).rejects.toMatchObject({
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
  });

  it('refuses the broker when mqtt.ca is a CA that did not issue its certificate', async () => {
    const config = cabinetConfig(broker.tlsUrl, 'test-cab', { ca: certs.otherCa });
    await expect(connect(config)).rejects.toMatchObject({
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
  });
});

describe('mutual TLS (require_certificate true)', () => {
  let broker: TlsBroker;
  beforeAll(async () => {
    broker = await start((port) => tlsListener(port, certs, { requireCertificate: true }));
  });

  it('refuses a cabinet without a client certificate', async () => {
    const config = cabinetConfig(broker.tlsUrl, 'test-cab', { ca: certs.ca });
    await expect(connect(config)).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    });
  });

  it('refuses a client certificate from another CA', async () => {
    const tls = { ca: certs.ca, cert: certs.strangerCert, key: certs.strangerKey };
    await expect(connect(cabinetConfig(broker.tlsUrl, 'test-cab', tls))).rejects.toMatchObject({
      code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    });
  });

  it('connects with mqtt.cert and mqtt.key issued by the broker CA', async () => {
    const tls = { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey };
    const client = await connect(cabinetConfig(broker.tlsUrl, 'test-cab', tls));
    expect(tlsSocket(client).authorized).toBe(true);
    expect(client.connected).toBe(true);
  });
});

describe('docs/mosquitto/keywarden-fleet.conf as shipped (paths and port swapped)', () => {
  let broker: TlsBroker;
  beforeAll(async () => {
    broker = await startMosquittoWithListener((port) => shippedConfig(port));
    brokers.push(broker);
  });

  /** The shipped file with only the test's port and file locations put in. */
  function shippedConfig(port: number): string {
    const swaps: Array<[RegExp, string]> = [
      [/^listener 8883$/m, `listener ${port} 127.0.0.1`],
      [/^password_file \/etc\/mosquitto\/passwd$/m, `password_file ${users}`],
      [/^acl_file \/etc\/mosquitto\/acl$/m, `acl_file ${docs('acl')}`],
      [/\/etc\/mosquitto\/certs\//g, `${certs.dir}/`],
    ];
    let text = readFileSync(docs('keywarden-fleet.conf'), 'utf8');
    for (const [pattern, replacement] of swaps) {
      if (text.search(pattern) === -1) throw new Error(`keywarden-fleet.conf: no ${pattern}`);
      text = text.replace(pattern, replacement);
    }
    return text;
  }

  it("takes a cabinet over TLS with Keywarden's options, and its event reaches the central server", async () => {
    const central = await connect(cabinetConfig(broker.tlsUrl, 'central', { ca: certs.ca }));
    const seen: string[] = [];
    central.on('message', (topic) => seen.push(topic));
    await central.subscribeAsync('keywarden/v1/+/event/#', { qos: 1 });
    const cabinet = await connect(cabinetConfig(broker.tlsUrl, 'cab-a', { ca: certs.ca }));
    await cabinet.publishAsync(topicsFor('keywarden/v1', 'cab-a').event('door.forced'), '{}', {
      qos: 1,
    });
    await waitFor(() => seen.length > 0, 'the event at the central server');
    expect(seen).toEqual(['keywarden/v1/cab-a/event/door.forced']);
  });

  it("does not let a cabinet knock another off by sending that cabinet's client id", async () => {
    const victim = await connect(cabinetConfig(broker.tlsUrl, 'cab-b', { ca: certs.ca }));
    const closed = new Promise<'closed'>((resolve) =>
      victim.once('close', () => resolve('closed')),
    );
    // Without use_username_as_clientid, Mosquitto would close the victim's connection before
    // it answers this CONNECT, and hand its session to the intruder.
    await connect(cabinetConfig(broker.tlsUrl, 'cab-a', { ca: certs.ca }), victim.options.clientId);
    const alive = victim
      .publishAsync('keywarden/v1/cab-b/event/x', '{}', { qos: 1 })
      .then(() => 'alive' as const);
    expect(await Promise.race([alive, closed])).toBe('alive');
  });
});
