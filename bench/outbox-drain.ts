import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { NewEvent } from '../src/domain/events.js';
import { silentLogger } from '../src/log/logger.js';
import { OutboxPublisher } from '../src/mqtt/outbox-publisher.js';
import { topicsFor } from '../src/mqtt/topics.js';
import { createSystemClock } from '../src/platform/system-clock.js';
import { openDatabase } from '../src/store/database.js';
import { EventLog } from '../src/store/event-log.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';

const BACKLOG = 100_000;
const WINDOW = 1_000;
const CABINET = 'bench-drain';

/**
 * Drains a 100,000-event outbox to a real Mosquitto at QoS 1, beside plain MQTT.js publishing
 * the same payloads to the same broker in the same run, pipelined with up to WINDOW publishes
 * in flight (MQTT packet ids are 16-bit, so "all at once" is not an option for 100,000). Goal: the outbox drains at least half as fast. Heap is sampled
 * during the drain to show the backlog is paged, not loaded.
 */
export const outboxDrain: Benchmark = {
  name: 'outbox-drain',
  async run(): Promise<BenchmarkResult> {
    const broker = await startMosquitto();
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-bench-drain-'));
    const db = openDatabase(join(dir, 'outbox.db'));
    try {
      const log = new EventLog(db, CABINET, createSystemClock({ syncCheck: 'assume' }));
      fill(log);
      const payloads = log.unsent(0, BACKLOG).map((r) => ({ type: r.type, payload: r.payload }));
      const topics = topicsFor('keywarden/v1', CABINET);

      const plainClient = await connect(broker.url, 'bench-plain');
      const plainStart = performance.now();
      await publishWindowed(plainClient, payloads, (type) => topics.event(type));
      const plainMs = performance.now() - plainStart;
      await plainClient.endAsync();
      payloads.length = 0;

      const client = await connect(broker.url, 'bench-outbox');
      const publisher = new OutboxPublisher({
        client,
        log,
        topics,
        logger: silentLogger(),
      });
      const heap = new HeapSampler();
      const drainStart = performance.now();
      await new Promise<void>((resolve) => {
        publisher.on('idle', resolve);
        publisher.notify();
      });
      const drainMs = performance.now() - drainStart;
      heap.stop();
      const left = log.depth();
      await client.endAsync();

      const plainRate = BACKLOG / (plainMs / 1000);
      const drainRate = BACKLOG / (drainMs / 1000);
      const ratio = drainRate / plainRate;
      return {
        lines: [
          `backlog: ${BACKLOG.toLocaleString('en')} events, QoS 1, local Mosquitto`,
          `plain MQTT.js (1,000 in flight):${fmt(plainMs)} ms  ${Math.round(plainRate).toLocaleString('en')} msg/s`,
          `outbox drain (1,000 in flight):${fmt(drainMs)} ms  ${Math.round(drainRate).toLocaleString('en')} msg/s`,
          `ratio: ${ratio.toFixed(2)} (goal ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'}); left in outbox: ${left}`,
          `heap during drain: max ${mb(heap.max)} MB over a start of ${mb(heap.start)} MB`,
        ],
        data: {
          backlog: BACKLOG,
          plainMs,
          drainMs,
          plainRate,
          drainRate,
          ratio,
          heapStart: heap.start,
          heapMax: heap.max,
          left,
        },
        failed: left !== 0,
        goalMet: ratio >= 0.5,
      };
    } finally {
      db.close();
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function fill(log: EventLog): void {
  const batch: NewEvent[] = [];
  for (let i = 0; i < BACKLOG; i++) {
    batch.push({
      type: 'key.unknown_fob',
      data: { slot: (i % 12) + 1, tag: `A0${String(i).padStart(8, '0')}` },
    });
    if (batch.length === 5_000) log.append(batch.splice(0));
  }
  log.append(batch);
}

/** Keeps WINDOW publishes in flight, starting the next as each one is acknowledged. */
async function publishWindowed(
  client: MqttClient,
  payloads: ReadonlyArray<{ type: string; payload: string }>,
  topic: (type: string) => string,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let p = payloads[next++]; p; p = payloads[next++]) {
      await client.publishAsync(topic(p.type), p.payload, { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
}

async function connect(url: string, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, protocolVersion: 5 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

class HeapSampler {
  readonly start = process.memoryUsage().heapUsed;
  max = this.start;
  private readonly timer = setInterval(() => {
    this.max = Math.max(this.max, process.memoryUsage().heapUsed);
  }, 20);
  stop(): void {
    clearInterval(this.timer);
  }
}

const fmt = (ms: number) => ms.toFixed(0).padStart(6);
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
