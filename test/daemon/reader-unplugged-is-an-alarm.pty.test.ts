import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events.js';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { openPtyPair, type PtyPair } from '../support/pty-pair.js';
import { seedCabinet } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The daemon on real ptys (socat): the fob reader's device vanishes and comes back. The flow
 * records reader.offline and lists it in the retained alarms until the reader is open again.
 */
const CABINET = 'reader-cab';
let broker: Broker;
let badge: PtyPair;
let fob: PtyPair;
let watcher: MqttClient;
let daemon: DaemonProcess;
const events: RecordedEvent[] = [];
let alarms: Array<{ type: string; reader?: string }> = [];

beforeAll(async () => {
  broker = await startMosquitto();
  badge = await openPtyPair();
  fob = await openPtyPair();
  const files = writeCabinetFiles({
    cabinetId: CABINET,
    brokerUrl: broker.url,
    badgePath: badge.devicePath,
    fobPath: fob.devicePath,
  });
  seedCabinet(files.database, CABINET);
  watcher = await mqtt.connectAsync(broker.url);
  watcher.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString()) as { alarms?: typeof alarms };
    if (topic.endsWith('/alarms')) alarms = body.alarms ?? [];
    else events.push(body as unknown as RecordedEvent);
  });
  await watcher.subscribeAsync([
    `keywarden/v1/${CABINET}/alarms`,
    `keywarden/v1/${CABINET}/event/#`,
  ]);
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
  await watcher?.endAsync(true);
  await Promise.all([broker?.stop(), badge?.close(), fob?.close()]);
});

const ofType = (type: string) => events.filter((e) => e.type === type);

it('the fob reader unplugged is reader.offline, an alarm until reader.online clears it', async () => {
  await waitFor(() => ofType('cabinet.started').length === 1, 'cabinet.started');
  expect(ofType('reader.offline')).toEqual([]); // both readers were there from the start

  await fob.kill();
  await waitFor(() => ofType('reader.offline').length === 1, 'reader.offline', 15_000);
  expect(ofType('reader.offline')[0]?.data).toMatchObject({ reader: 'fob' });
  await waitFor(
    () => alarms.some((a) => a.type === 'reader.offline' && a.reader === 'fob'),
    'reader.offline in the retained alarms',
  );

  await fob.restart();
  await waitFor(() => ofType('alarm.cleared').length === 1, 'alarm.cleared', 15_000);
  expect(ofType('reader.online').map((e) => e.data)).toEqual([{ reader: 'fob' }]);
  expect(ofType('alarm.cleared')[0]?.data).toMatchObject({
    alarm: 'reader.offline',
    reader: 'fob',
  });
  await waitFor(() => alarms.length === 0, 'the retained alarms to empty');
  expect(daemon.exitCode).toBeNull();
}, 60_000);
