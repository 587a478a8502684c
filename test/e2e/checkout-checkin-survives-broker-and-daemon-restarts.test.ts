import BetterSqlite3 from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import { encodeRdm6300 } from '../../src/sim/reader-frames.js';
import { DaemonProcess, simPost, writeCabinetFiles } from '../support/daemon-process.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { ALICE, seedCabinet } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

const CABINET = 'e2e-cab';
/** A card nobody holds: its denial is the marker event that closes the count. */
const UNKNOWN_CARD = 'DEAD000001';
let broker: Broker;
let badge: PtyPair;
let fob: PtyPair;
let subscriber: MqttClient;
let daemon: DaemonProcess;
let database: string;
const received: RecordedEvent[] = [];

beforeAll(async () => {
  broker = await startMosquitto({ persistence: true });
  badge = await openPtyPair();
  fob = await openPtyPair();
  const files = writeCabinetFiles({
    cabinetId: CABINET,
    brokerUrl: broker.url,
    badgePath: badge.devicePath,
    fobPath: fob.devicePath,
    badgeQuietMs: 0,
  });
  database = files.database;
  seedCabinet(database, CABINET);
  // A persistent session, so the broker keeps QoS 1 events for it across its own restart.
  subscriber = mqtt.connect(broker.url, {
    clientId: 'e2e-central',
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 200,
  });
  subscriber.on('message', (_topic, payload) =>
    received.push(JSON.parse(payload.toString()) as RecordedEvent),
  );
  await new Promise<void>((resolve) => subscriber.once('connect', () => resolve()));
  await subscriber.subscribeAsync(`keywarden/v1/${CABINET}/event/#`, { qos: 1 });
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await subscriber?.endAsync(true);
  await Promise.all([broker?.stop(), badge?.close(), fob?.close()]);
});

const bySeq = (a: string, b: string) => parseInt(a) - parseInt(b);
const types = () => received.map((e) => e.type);
const lastType = (type: string) => [...received].reverse().find((e) => e.type === type);

/** A presentation of `card` (the reader's quiet time is 0: the same card again counts). */
async function present(card: string): Promise<void> {
  await badge.writeToDevice(encodeRdm6300(card));
}

function recorded(): Array<{ seq: number; type: string }> {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return db.prepare('SELECT seq, type FROM events ORDER BY seq').all() as Array<{
      seq: number;
      type: string;
    }>;
  } finally {
    db.close();
  }
}
const recordedSeqs = () => recorded().map((r) => r.seq);
const lastRecordedType = () => recorded().at(-1)?.type;

it('badge, take a key, return it: the central server receives each event, in order', async () => {
  await fob.writeToDevice('S01:A000000001\r\nS02:A000000002\r\n');
  await present(ALICE);
  await waitFor(() => types().includes('access.granted'), 'access.granted over MQTT');
  expect(lastType('access.granted')?.data).toMatchObject({
    holderName: 'Alice',
    card: '…F444',
    slots: [1, 2],
  });

  const url = daemon.simUrl();
  await simPost(url, '/door', { action: 'open' });
  await simPost(url, '/slots/1/take');
  await fob.writeToDevice('S01:-\r\n');
  await waitFor(() => types().includes('key.checked_out'), 'key.checked_out');
  expect(lastType('key.checked_out')?.data).toEqual({
    keyId: 1,
    keyLabel: 'K-1',
    holderId: 1,
    holderName: 'Alice',
    slot: 1,
    dueAt: null,
  });
  await simPost(url, '/door', { action: 'close' });

  await present(ALICE);
  await waitFor(() => types().filter((t) => t === 'access.granted').length === 2, 'second grant');
  await simPost(url, '/door', { action: 'open' });
  await simPost(url, '/slots/1/insert');
  await fob.writeToDevice('S01:A000000001\r\n');
  await waitFor(() => types().includes('key.checked_in'), 'key.checked_in');
  expect(lastType('key.checked_in')?.data).toMatchObject({
    keyId: 1,
    holderName: 'Alice',
    slot: 1,
    returnedBy: 1,
  });
  await simPost(url, '/door', { action: 'close' });
  const seqs = received.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
});

it('with the broker down and the daemon restarted, every event still arrives once, in sequence order', async () => {
  await broker.stop();
  const url = daemon.simUrl();
  await present(ALICE);
  await daemon.waitForLog((l) => l.msg === 'broker unreachable; events wait in the outbox');
  await waitFor(() => lastRecordedType() === 'access.granted', 'the grant recorded while offline');
  await simPost(url, '/door', { action: 'open' });
  await simPost(url, '/slots/2/take');
  await fob.writeToDevice('S02:-\r\n');
  await simPost(url, '/door', { action: 'close' });

  await daemon.stop();
  expect(daemon.exitCode).toBe(0);
  await daemon.start();
  await fob.writeToDevice('S01:A000000001\r\n');
  await present(ALICE);
  await waitFor(() => lastRecordedType() === 'access.granted', 'the grant after the restart');

  await broker.restart();
  await waitFor(
    () => new Set(received.map((e) => e.seq)).size >= recordedSeqs().length,
    'every recorded event at the subscriber',
    20_000,
  );
  const expected = recordedSeqs();
  // The marker: one more event, published after all of these. The broker redelivers and the
  // daemon republishes in order, so a duplicate of any of them would arrive before it.
  await present(UNKNOWN_CARD);
  await waitFor(() => received.some((e) => e.seq > expected.at(-1)!), 'the marker event');
  const counted = received.slice(
    0,
    received.findIndex((e) => e.seq > expected.at(-1)!),
  );
  const seqs = counted.map((e) => e.seq);
  expect(received.map((e) => `${e.seq} ${e.type}`)).toEqual(
    received.map((e) => `${e.seq} ${e.type}`).sort(bySeq),
  );
  expect(seqs).toEqual(expected); // each exactly once, in order, no gaps
  expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
  expect(counted.map((e) => e.type).slice(-5)).toEqual([
    'access.granted',
    'key.checked_out',
    'cabinet.stopped',
    'cabinet.started',
    'access.granted',
  ]);
}, 60_000);
