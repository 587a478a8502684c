import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon/daemon.js';
import { TestSigner } from '../support/command-signer.js';
import { waitFor } from '../support/wait-for.js';
import {
  CENTRAL_PASSWORD,
  SITE_PASSWORD,
  shipped,
  startBridgedBrokers,
  type BridgedBrokers,
} from './bridged-brokers.js';
import { CentralInbox } from './central-inbox.js';
import { CABINET, record, recordedIds, startFleetCabinet } from './fleet-cabinet.js';

// docs/mosquitto/site-bridge.conf between two real Mosquitto processes: the cabinet on the site
// broker, the central server on the central one. Across a bridge outage and a site broker
// restart, the central server ends with every event the cabinet recorded, each once after
// de-duplication by id, and its acknowledgements reach the cabinet through the bridge.

const signer = new TestSigner('central-1', CABINET);
/** A second cabinet of site 3 (no daemon runs for it): the bridge carries its topics too. */
const SITE_CABINET_2 = 'test-cab-2';
/** A cabinet of another site, whose commands site 3 must never see. */
const OTHER_SITE_CABINET = 'site-9-cab';
let brokers: BridgedBrokers;
let inbox: CentralInbox;
let cabinet: Daemon;

beforeAll(async () => {
  brokers = await startBridgedBrokers([CABINET, SITE_CABINET_2]);
  inbox = await CentralInbox.connect(brokers.central.url, {
    username: 'central',
    password: CENTRAL_PASSWORD,
  });
  cabinet = await startFleetCabinet({ url: brokers.site.url, signer, resendAfterSeconds: 5 });
}, 60_000);
afterAll(async () => {
  await cabinet?.stop();
  await inbox?.close();
  await brokers?.stop();
});

/** Every recorded event is at the central server, once, and the cabinet got the acknowledgement. */
async function everyEventOnceAtTheCentral(what: string): Promise<void> {
  await waitFor(
    () =>
      inbox.hasAll(CABINET, cabinet.eventLog.lastSeq()) &&
      cabinet.eventLog.ackedSeq() === cabinet.eventLog.lastSeq(),
    `every event at the central server and acknowledged back (${what})`,
    60_000,
  );
  const central = inbox.events.get(CABINET);
  expect(central).toEqual(recordedIds(cabinet));
  expect(inbox.conflicts).toBe(0);
}

describe('a cabinet on a site broker bridged to the central one', () => {
  it('reports the bridge up on the central broker, and events cross it with acknowledgements back', async () => {
    await waitFor(
      () =>
        inbox.other.some((m) => m.topic === 'keywarden/sites/site-3/bridge' && m.payload === '1'),
      "the bridge's state on the central broker",
    );
    record(cabinet, 50, 'A0');
    await everyEventOnceAtTheCentral('first batch');
  });

  it('loses nothing while the central broker is away (a bridge outage)', async () => {
    await brokers.central.stop();
    record(cabinet, 100, 'B0');
    // The site broker has them all (PUBACK): they wait in its queue for the bridge.
    await waitFor(() => cabinet.eventLog.depth() === 0, 'the site broker took every event');
    const before = cabinet.eventLog.ackedSeq();
    expect(before).toBeLessThan(cabinet.eventLog.lastSeq());
    await brokers.central.restart();
    await everyEventOnceAtTheCentral('after the bridge outage');
  });

  it('loses nothing across a site broker restart, events recorded before, during and after it', async () => {
    record(cabinet, 50, 'C0');
    await brokers.site.stop();
    record(cabinet, 50, 'C1');
    await brokers.site.restart();
    record(cabinet, 50, 'C2');
    await everyEventOnceAtTheCentral('after the site broker restart');
    // What the counts were: at least once on the wire, exactly once after de-duplication.
    const stored = inbox.events.get(CABINET)?.size ?? 0;
    expect(inbox.received).toBe(stored + inbox.duplicates);
  });

  it('holds a command sent while the site is cut off, and delivers it when the site is back', async () => {
    // The bridge's session at the central broker persists (cleansession false): the broker
    // queues what the server sends to the site's cabinets while the site broker is down.
    await brokers.site.stop();
    const command = signer.sign('ping');
    await inbox.client.publishAsync(`keywarden/v1/${CABINET}/cmd/ping`, JSON.stringify(command), {
      qos: 1,
    });
    await brokers.site.restart();
    await waitFor(
      () => inbox.replies.some((r) => r.payload.commandId === command.id),
      'the reply to the command sent during the outage',
      60_000,
    );
    const reply = inbox.replies.find((r) => r.payload.commandId === command.id);
    expect(reply?.payload).toMatchObject({ name: 'ping', status: 'ok' });
  });

  it('carries a signed command from the central server down and its reply back up', async () => {
    const command = signer.sign('ping');
    // A server on MQTT 5 asks for a response topic, as it may for a cabinet it reaches directly.
    const responseTopic = `keywarden/v1/${CABINET}/reply/central-1`;
    const correlationData = Buffer.from('request-42');
    await inbox.client.publishAsync(`keywarden/v1/${CABINET}/cmd/ping`, JSON.stringify(command), {
      qos: 1,
      properties: { responseTopic, correlationData },
    });
    await waitFor(
      () => inbox.replies.some((r) => r.payload.commandId === command.id),
      'the reply at the central server',
      30_000,
    );
    const reply = inbox.replies.find((r) => r.payload.commandId === command.id);
    expect(reply?.payload).toMatchObject({ name: 'ping', status: 'ok' });
    // The bridge speaks MQTT 3.1.1 (site-bridge.conf says why): the response topic and the
    // correlation data stay at the central broker, and the reply comes on the default topic.
    expect(reply?.topic).toBe(`keywarden/v1/${CABINET}/reply`);
    expect(reply?.packet.properties?.correlationData).toBeUndefined();
  });
});

/** Every message a client sees on `filters`, by topic, in order of arrival. */
async function watch(
  url: string,
  filters: string[],
  options: mqtt.IClientOptions = {},
): Promise<{ client: MqttClient; topics: string[] }> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...options });
  const topics: string[] = [];
  client.on('message', (topic) => topics.push(topic));
  await client.subscribeAsync(filters, { qos: 1 });
  return { client, topics };
}

/**
 * The central server sends a sync command (card numbers, PIN hashes) to another site's cabinet,
 * then a marker command to site 3's second cabinet. Both leave the central broker in that
 * order on one session each way, so once the marker is in, the first would have been too.
 */
async function otherSiteSyncThenMarker(seen: string[]): Promise<{ sync: string; marker: string }> {
  const sync = `keywarden/v1/${OTHER_SITE_CABINET}/cmd/sync`;
  const marker = `keywarden/v1/${SITE_CABINET_2}/cmd/ping`;
  const other = new TestSigner('central-1', OTHER_SITE_CABINET);
  const payload = other.sign('sync', { cards: [{ number: '04A1B2C3', pinHash: 'scrypt$…' }] });
  await inbox.client.publishAsync(sync, JSON.stringify(payload), { qos: 1 });
  const ping = new TestSigner('central-1', SITE_CABINET_2).sign('ping');
  await inbox.client.publishAsync(marker, JSON.stringify(ping), { qos: 1 });
  await waitFor(() => seen.includes(marker), 'the marker command for site 3');
  return { sync, marker };
}

describe("a site sees only its own cabinets' commands", () => {
  it('names each cabinet in the shipped bridge and ACL: no "+" in place of a cabinet id', () => {
    for (const file of ['site-bridge.conf', 'acl.site-bridge']) {
      const topics = shipped(file)
        .split('\n')
        .filter((line) => line.startsWith('topic '));
      expect(
        topics.filter((line) => line.includes('keywarden/v1/+')),
        file,
      ).toEqual([]);
      expect(
        topics.filter((line) => line.includes('keywarden/v1/CABINET-ID-1/')),
        file,
      ).toHaveLength(7);
    }
  });

  it("never passes another site's cabinet's command down to the site broker", async () => {
    // Anyone on the site broker (a cabinet's user with a wide ACL, a tap on the site's network)
    // would see what the bridge brings down: a subscriber to every topic stands for them.
    const site = await watch(brokers.site.url, ['keywarden/v1/#'], { clientId: 'site-tap' });
    try {
      const { sync } = await otherSiteSyncThenMarker(site.topics);
      expect(site.topics).not.toContain(sync);
    } finally {
      await site.client.endAsync();
    }
  });

  it("refuses the site's user another site's commands at the central broker too (the ACL)", async () => {
    // A bridge configured with "+" (or anyone holding the site's password): the central ACL
    // still delivers only the site's own cabinets' commands.
    const probe = await watch(
      brokers.central.url,
      ['keywarden/v1/+/cmd/+', `keywarden/v1/${SITE_CABINET_2}/cmd/+`],
      { clientId: 'site-3-probe', username: 'site-3', password: SITE_PASSWORD, protocolVersion: 4 },
    );
    try {
      const { sync } = await otherSiteSyncThenMarker(probe.topics);
      expect(probe.topics).not.toContain(sync);
    } finally {
      await probe.client.endAsync();
    }
  });
});
