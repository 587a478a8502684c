import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon/daemon.js';
import { FleetMonitor, type MonitorNotice } from '../../src/reference-server/fleet-monitor.js';
import { recordAndPublish, startDeliveryCabinet } from '../support/delivery-cabinet.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { waitFor } from '../support/wait-for.js';

let broker: Broker;
let cabinet: Daemon;

beforeAll(async () => {
  broker = await startMosquitto();
  cabinet = await startDeliveryCabinet(broker.url, { resendAfterSeconds: 1 });
});
afterAll(async () => {
  await cabinet.stop();
  await broker.stop();
});

it('a monitor started after the cabinet catches up by itself, without a signing key', async () => {
  // Published while nobody listened: the broker PUBACKed them and passed them to no one.
  const last = await recordAndPublish(cabinet, 4);
  const notices: MonitorNotice[] = [];
  const monitor = new FleetMonitor({ url: broker.url, ackDebounceMs: 100 });
  monitor.on('notice', (n) => notices.push(n));
  try {
    await monitor.ready();
    await waitFor(
      () => notices.some((n) => n.kind === 'ack' && n.seq === last),
      `the monitor acknowledging #${last}`,
    );
    const seqs = notices.flatMap((n) => (n.kind === 'event' ? [n.event.seq] : []));
    expect([...new Set(seqs)].sort((a, b) => a - b)).toEqual(
      Array.from({ length: last }, (_, i) => i + 1),
    );
    expect(cabinet.eventLog.ackedSeq()).toBe(last);
    expect(notices.filter((n) => n.kind === 'replay' || n.kind === 'chain')).toEqual([]);
  } finally {
    await monitor.stop();
  }
});
