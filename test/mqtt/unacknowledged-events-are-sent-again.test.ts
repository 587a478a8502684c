import { afterEach, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon/daemon.js';
import { FleetMonitor, type MonitorNotice } from '../../src/reference-server/fleet-monitor.js';
import { recordAndPublish, startDeliveryCabinet } from '../support/delivery-cabinet.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { waitFor } from '../support/wait-for.js';

/**
 * At-least-once end to end: the broker's PUBACK is not the end of an event's journey. A broker
 * without persistence that crashes while it holds events for an offline subscriber loses them;
 * the cabinet sends them again because the central server has not acknowledged them, and the
 * server gets them without asking (no replay: the monitor here has no signing key).
 */
let broker: Broker | undefined;
let cabinet: Daemon | undefined;
let server: FleetMonitor | undefined;

afterEach(async () => {
  await server?.stop();
  await cabinet?.stop();
  await broker?.stop();
  server = cabinet = broker = undefined;
});

function centralServer(url: string, notices: MonitorNotice[]): FleetMonitor {
  const monitor = new FleetMonitor({
    url,
    // A persistent session: while the server is away the broker keeps its events (in memory).
    mqtt: { clientId: 'central', clean: false, properties: { sessionExpiryInterval: 3_600 } },
    ackDebounceMs: 100,
  });
  monitor.on('notice', (n) => notices.push(n));
  return monitor;
}

const eventSeqs = (notices: MonitorNotice[]) =>
  notices.flatMap((n) => (n.kind === 'event' ? [n.event.seq] : []));

it('events PUBACKed and then lost in a broker crash reach the server without it asking', async () => {
  broker = await startMosquitto(); // no persistence: a crash loses what it held
  const first: MonitorNotice[] = [];
  server = centralServer(broker.url, first);
  await server.ready();
  cabinet = await startDeliveryCabinet(broker.url, { resendAfterSeconds: 1 });
  const before = await recordAndPublish(cabinet, 3);
  await waitFor(() => cabinet!.eventLog.ackedSeq() === before, 'the server acknowledged all');

  await server.stop(); // the server goes away; its session keeps collecting events
  server = undefined;
  const last = await recordAndPublish(cabinet, 5); // PUBACKed: the broker holds them for it
  await broker.kill(); // and loses them
  await broker.restart();

  const second: MonitorNotice[] = [];
  server = centralServer(broker.url, second);
  await server.ready();
  await waitFor(
    () => cabinet!.eventLog.ackedSeq() === last,
    'the lost events acknowledged',
    20_000,
  );
  const lost = Array.from({ length: last - before }, (_, i) => before + 1 + i);
  expect(eventSeqs(second)).toEqual(expect.arrayContaining(lost));
  expect(second.filter((n) => n.kind === 'replay')).toEqual([]);
  expect(
    second.filter((n) => n.kind === 'gap' || n.kind === 'chain' || n.kind === 'conflict'),
  ).toEqual([]);
});
