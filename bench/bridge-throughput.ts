import type { Daemon } from '../src/daemon/daemon.js';
import { TestSigner } from '../test/support/command-signer.js';
import { waitFor } from '../test/support/wait-for.js';
import { CENTRAL_PASSWORD, startBridgedBrokers } from '../test/fleet/bridged-brokers.js';
import { CentralInbox } from '../test/fleet/central-inbox.js';
import { CABINET, recordedIds, startFleetCabinet } from '../test/fleet/fleet-cabinet.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';

const LIVE = 20_000;
const OUTAGE = 10_000;
const BATCH = 500;
const WAIT_MS = 300_000;

interface Phase {
  events: number;
  /** From the outbox's wake-up (or the central broker's restart) to the last event stored. */
  ms: number;
  /** Events per second stored at the central server after de-duplication. */
  rate: number;
  /** The same events arriving at a subscriber on the site broker: the rate without the bridge. */
  siteRate: number | null;
}

/**
 * Issue 14's figure: events per second through docs/mosquitto/site-bridge.conf, lost 0. Two
 * real Mosquitto processes as in test/fleet/site-bridge.test.ts (TLS between them, persistence,
 * the shipped ACLs); the daemon in-process on the site broker; a central server on the central
 * broker that stores events by id and acknowledges, as docs/mqtt.md says a server should.
 * Live: 20,000 events recorded at once drain from the outbox through the bridge (a subscriber
 * on the site broker times the same events without the bridge). Outage: 10,000 events recorded
 * while the central broker is stopped, then the time from its restart until the last is stored.
 * Lost = recorded − stored; a measurement that loses one fails.
 */
export const bridgeThroughput: Benchmark = {
  name: 'bridge-throughput',
  async run(): Promise<BenchmarkResult> {
    const brokers = await startBridgedBrokers();
    const inbox = await CentralInbox.connect(brokers.central.url, {
      username: 'central',
      password: CENTRAL_PASSWORD,
    });
    const siteWatch = await CentralInbox.connect(brokers.site.url, {
      clientId: 'bench-site-watch',
      acknowledge: false,
      filters: ['keywarden/v1/+/event/#'],
    });
    let cabinet: Daemon | undefined;
    try {
      cabinet = await startFleetCabinet({ url: brokers.site.url, signer: new TestSigner() });
      const live = await phase(cabinet, inbox, siteWatch, LIVE, () => Promise.resolve());
      await brokers.central.stop();
      const outage = await phase(cabinet, inbox, null, OUTAGE, async () => {
        await waitFor(() => cabinet?.eventLog.depth() === 0, 'the site broker took them', WAIT_MS);
        await brokers.central.restart();
      });
      const recorded = recordedIds(cabinet);
      const stored = inbox.events.get(CABINET) ?? new Map<number, string>();
      let lost = 0;
      for (const [seq, id] of recorded) if (stored.get(seq) !== id) lost++;
      const k = (n: number) => Math.round(n).toLocaleString('en');
      return {
        lines: [
          `site broker → bridge (MQTT 3.1.1, TLS, QoS 1) → central broker, both Mosquitto, loopback`,
          `live: ${k(LIVE)} events in ${k(live.ms)} ms: ${k(live.rate)} events/s at the central ` +
            `server (${k(live.siteRate ?? 0)} events/s at the site broker, no bridge)`,
          `after a central outage: ${k(OUTAGE)} events queued at the site broker, stored ` +
            `${k(outage.ms)} ms after the restart: ${k(outage.rate)} events/s`,
          `recorded ${k(recorded.size)}, stored ${k(stored.size)}, lost ${lost}, duplicates ` +
            `dropped ${k(inbox.duplicates)}, same seq with another id ${inbox.conflicts}`,
        ],
        data: {
          live,
          outage,
          recorded: recorded.size,
          stored: stored.size,
          lost,
          duplicates: inbox.duplicates,
        },
        failed: lost !== 0 || inbox.conflicts !== 0,
        goalMet: lost === 0,
      };
    } finally {
      await cabinet?.stop();
      await siteWatch.close();
      await inbox.close();
      await brokers.stop();
    }
  },
};

/** Records `events` in batches, then (after `before`) times their arrival at the central server. */
async function phase(
  cabinet: Daemon,
  inbox: CentralInbox,
  siteWatch: CentralInbox | null,
  events: number,
  before: () => Promise<void>,
): Promise<Phase> {
  for (let i = 0; i < events; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, events - i) }, (_, j) => ({
      type: 'key.unknown_fob' as const,
      data: { slot: ((i + j) % 12) + 1, tag: `B0${String(i + j).padStart(8, '0')}` },
    }));
    cabinet.eventLog.append(batch);
  }
  const lastSeq = cabinet.eventLog.lastSeq();
  let siteMs: number | null = null;
  cabinet.mqtt.publisher.notify();
  await before();
  const from = performance.now();
  if (siteWatch !== null) {
    await waitFor(() => siteWatch.hasAll(CABINET, lastSeq), 'every event at the site', WAIT_MS);
    siteMs = performance.now() - from;
  }
  await waitFor(() => inbox.hasAll(CABINET, lastSeq), 'every event at the central server', WAIT_MS);
  const ms = performance.now() - from;
  return {
    events,
    ms,
    rate: events / (ms / 1000),
    siteRate: siteMs === null ? null : events / (siteMs / 1000),
  };
}
