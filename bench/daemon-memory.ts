import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { NewEvent } from '../src/domain/events.js';
import { createSystemClock } from '../src/platform/system-clock.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { EventLog } from '../src/store/event-log.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { openPtyPair } from '../test/support/pty-pair.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { DaemonChild } from './daemon-child.js';
import { seededRandom } from './prng.js';
import { mbOfKb, RssSampler } from './rss-sampler.js';
import { seedHolders } from './seed-holders.js';
import { SERVICE_UNIT, serviceNodeFlags } from './service-node-flags.js';
import { waitUntil } from './wait.js';

const SETTINGS = {
  holders: 100_000,
  slotCount: 12,
  backlog: 100_000,
  /** How long the idle daemon is watched once its outbox is empty. */
  idleMs: 3_000,
  sampleEveryMs: 20,
  drainTimeoutMs: 120_000,
  goals: { idleMb: 80, drainMb: 120 },
  seed: 20_240_602,
} as const;

const CABINET = 'bench-memory';

/**
 * The daemon's resident memory as systemd would see it: the built CLI as its own process
 * (test/support/daemon-process.ts) on a database of 100,000 holders, readers on socat ptys,
 * a real Mosquitto. First idle (connected, outbox empty), then through a restart with
 * 100,000 unpublished events, sampled from start until the outbox is empty.
 */
export const daemonMemory: Benchmark = {
  name: 'daemon-memory',
  async run(): Promise<BenchmarkResult> {
    // Undone in reverse order, whatever step fails.
    const cleanups: Array<() => unknown> = [];
    try {
      const dir = mkdtempSync(join(tmpdir(), 'keywarden-bench-memory-'));
      cleanups.unshift(() => rmSync(dir, { recursive: true, force: true }));
      const broker = await startMosquitto();
      cleanups.unshift(() => broker.stop());
      const badge = await openPtyPair();
      cleanups.unshift(() => badge.close());
      const fob = await openPtyPair();
      cleanups.unshift(() => fob.close());
      const database = join(dir, 'cabinet.db');
      seedHolders(database, {
        holders: SETTINGS.holders,
        slotCount: SETTINGS.slotCount,
        random: seededRandom(SETTINGS.seed),
      });
      const daemon = new DaemonChild({
        dir,
        database,
        brokerUrl: broker.url,
        cabinetId: CABINET,
        badgePath: badge.devicePath,
        fobPath: fob.devicePath,
      });
      cleanups.unshift(() => daemon.stop());
      const outbox = new OutboxDepth(database);
      cleanups.unshift(() => outbox.close());

      await daemon.start().ready;
      await outbox.drained(SETTINGS.drainTimeoutMs);
      const idle = new RssSampler(runningPid(daemon), SETTINGS.sampleEveryMs);
      await new Promise((resolve) => setTimeout(resolve, SETTINGS.idleMs));
      idle.stop();
      await daemon.stop();

      fillOutbox(database, SETTINGS.backlog);
      const drainStarted = performance.now();
      const { ready } = daemon.start();
      // Sampled from the spawn on: the start reads the backlog as well as the drain.
      const drain = new RssSampler(runningPid(daemon), SETTINGS.sampleEveryMs);
      await ready;
      await outbox.drained(SETTINGS.drainTimeoutMs);
      drain.stop();
      const drainMs = performance.now() - drainStarted;
      await daemon.stop();
      return report(idle, drain, drainMs);
    } finally {
      for (const cleanup of cleanups) {
        await Promise.resolve()
          .then(cleanup)
          .catch((err: unknown) =>
            process.stderr.write(`bench: teardown step failed: ${String(err)}\n`),
          );
      }
    }
  },
};

function report(idle: RssSampler, drain: RssSampler, drainMs: number): BenchmarkResult {
  const idleMb = mbOfKb(idle.maxKb);
  const drainMb = mbOfKb(drain.maxKb);
  const idleMet = idleMb <= SETTINGS.goals.idleMb;
  const drainMet = drainMb <= SETTINGS.goals.drainMb;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const nodeFlags = serviceNodeFlags();
  return {
    lines: [
      `the daemon as a process (built CLI, node ${nodeFlags.join(' ')} as in ${SERVICE_UNIT}), ` +
        `${SETTINGS.holders.toLocaleString('en')} holders, readers on socat ptys, real ` +
        `Mosquitto; RSS from /proc every ${SETTINGS.sampleEveryMs} ms`,
      `idle (connected, outbox empty, ${SETTINGS.idleMs / 1000} s): RSS max ${idleMb} MB ` +
        `(goal ≤ ${SETTINGS.goals.idleMb} MB: ${verdict(idleMet)})`,
      `restart with ${SETTINGS.backlog.toLocaleString('en')} unpublished events, start to empty ` +
        `outbox (${(drainMs / 1000).toFixed(1)} s): RSS max ${drainMb} MB ` +
        `(goal ≤ ${SETTINGS.goals.drainMb} MB: ${verdict(drainMet)})`,
    ],
    data: {
      settings: SETTINGS,
      nodeFlags,
      idleRssMb: idleMb,
      idleSamples: idle.samples,
      drainRssMb: drainMb,
      drainSamples: drain.samples,
      drainMs: Math.round(drainMs),
      idleMet,
      drainMet,
    },
    failed: idle.samples === 0 || drain.samples === 0,
    goalMet: idleMet && drainMet,
  };
}

function runningPid(daemon: DaemonChild): number {
  const pid = daemon.pid;
  if (pid === undefined) throw new Error('the daemon process is not running');
  return pid;
}

/** Unpublished events written straight into the stopped daemon's event log, in batches. */
function fillOutbox(database: string, count: number): void {
  const db = openDatabase(database);
  try {
    const log = new EventLog(db, CABINET, createSystemClock({ syncCheck: 'assume' }));
    const batch: NewEvent[] = [];
    for (let i = 0; i < count; i++) {
      batch.push({
        type: 'key.unknown_fob',
        data: { slot: (i % SETTINGS.slotCount) + 1, tag: `A0${String(i).padStart(8, '0')}` },
      });
      if (batch.length === 5_000) log.append(batch.splice(0));
    }
    log.append(batch);
  } finally {
    db.close();
  }
}

/** Watches the outbox from a read-only connection of its own, as an operator's query would. */
class OutboxDepth {
  private readonly db: Database;
  private readonly depth: Statement;

  constructor(database: string) {
    this.db = openDatabase(database, { readonly: true });
    this.depth = this.db.prepare('SELECT count(*) FROM events WHERE published_at IS NULL').pluck();
  }

  drained(timeoutMs: number): Promise<void> {
    return waitUntil(() => this.depth.get() === 0, 'the outbox to drain', timeoutMs, 50);
  }

  close(): void {
    this.db.close();
  }
}
