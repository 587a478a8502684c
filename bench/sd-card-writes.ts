import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import mqtt from 'mqtt';
import { encodeRdm6300 } from '../src/sim/reader-frames.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { openPtyPair } from '../test/support/pty-pair.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { DaemonChild } from './daemon-child.js';
import { seededRandom } from './prng.js';
import { seedHolders } from './seed-holders.js';
import { waitUntil } from './wait.js';

const SETTINGS = {
  holders: 1_000,
  slotCount: 12,
  /** Unknown cards presented one after another, each waited for: one access.denied each. */
  events: 500,
  /**
   * The idle daemon (connected, outbox empty, every event acknowledged) is watched this long; a
   * day is extrapolated. Three minutes: its one periodic write, the clock floor, comes once a
   * minute, so a single minute would catch one save, or two, or none.
   */
  idleMs: 180_000,
  seed: 20_261_207,
} as const;

const CABINET = 'bench-sd-card';
const DAY_MS = 24 * 3600 * 1000;

/**
 * What the daemon writes to the card: /proc/<pid>/io write_bytes of the daemon process (the
 * bytes it caused to be sent to the block layer: the WAL, the database at each checkpoint,
 * the -shm is memory-mapped and not counted), over N events and over an idle minute, with the
 * database on a disk-backed filesystem. The log lines the daemon writes to stdout are counted
 * apart: journald, another process, writes them to the card when its storage is persistent.
 */
export const sdCardWrites: Benchmark = {
  name: 'sd-card-writes',
  async run(): Promise<BenchmarkResult> {
    const cleanups: Array<() => unknown> = [];
    try {
      const dir = mkdtempSync(join(tmpdir(), 'keywarden-bench-sd-'));
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
      let logBytes = 0;
      const daemon = new DaemonChild(
        {
          dir,
          database,
          brokerUrl: broker.url,
          cabinetId: CABINET,
          badgePath: badge.devicePath,
          fobPath: fob.devicePath,
        },
        {
          config: {
            readers: { reopenIntervalMs: 200, badgeQuietMs: 0 },
            // Every card is a new unknown one: no lockout may stop the events being measured.
            lockout: { windowSeconds: 1, levels: [{ attempts: 100, lockSeconds: 1 }] },
            // The events are acknowledged only before the idle phase: no resend of the 500
            // (due 60 s after they went out) may fall inside their own measurement.
            delivery: { resendAfterSeconds: 3_600 },
          },
          onLogLine: (line) => {
            logBytes += Buffer.byteLength(line) + 1;
          },
        },
      );
      cleanups.unshift(() => daemon.stop());
      const log = new EventCount(database);
      cleanups.unshift(() => log.close());
      await daemon.start().ready;
      await log.drained(60_000);
      const pid = daemon.pid;
      if (pid === undefined) throw new Error('the daemon process is not running');
      // The central server acknowledges what it got, as a deployed one does: without that, the
      // cabinet publishes the unacknowledged events again (after 60 s, then doubling up to an
      // hour), two commits each time, and the idle minute measured those resends.
      await acknowledgeAll(broker.url, log);

      // Idle first: connected, nothing to publish, the periodic jobs running as they would.
      const idleStart = { io: writeBytes(pid), log: logBytes, at: performance.now() };
      // The idle time is the measurement itself, not a wait for something to happen.
      await sleep(SETTINGS.idleMs);
      const idle = {
        bytes: writeBytes(pid) - idleStart.io,
        log: logBytes - idleStart.log,
        ms: performance.now() - idleStart.at,
      };

      const eventsStart = { io: writeBytes(pid), log: logBytes, events: log.count() };
      for (let i = 0; i < SETTINGS.events; i++) {
        const before = log.count();
        await badge.writeToDevice(encodeRdm6300(`00${String(10_000_000 + i)}`));
        await waitUntil(() => log.count() > before, `event ${i + 1} recorded`, 10_000, 2);
      }
      await log.drained(60_000);
      const recorded = log.count() - eventsStart.events;
      const perEvent = {
        bytes: (writeBytes(pid) - eventsStart.io) / recorded,
        log: (logBytes - eventsStart.log) / recorded,
      };
      await daemon.stop();
      return report(idle, perEvent, recorded);
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

/** Publishes the central server's acknowledgement of every event so far; waits for it to land. */
async function acknowledgeAll(brokerUrl: string, log: EventCount): Promise<void> {
  const seq = log.count();
  const server = await mqtt.connectAsync(brokerUrl, { clientId: 'bench-sd-card-server' });
  try {
    await server.publishAsync(`keywarden/v1/${CABINET}/ack`, JSON.stringify({ seq }), { qos: 1 });
    await waitUntil(() => log.ackedSeq() >= seq, 'the acknowledgement recorded', 10_000, 20);
  } finally {
    await server.endAsync();
  }
}

function writeBytes(pid: number): number {
  const match = /^write_bytes:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  if (!match) throw new Error(`/proc/${pid}/io has no write_bytes`);
  return Number(match[1]);
}

function report(
  idle: { bytes: number; log: number; ms: number },
  perEvent: { bytes: number; log: number },
  recorded: number,
): BenchmarkResult {
  const perDay = (bytes: number): number => (bytes * DAY_MS) / idle.ms;
  const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
  const idleDay = perDay(idle.bytes);
  const idleLogDay = perDay(idle.log);
  return {
    lines: [
      `the daemon as a process (built CLI) on ext4 under ${tmpdir()}, ${SETTINGS.holders} holders, ` +
        `real Mosquitto; /proc/<pid>/io write_bytes`,
      `per event (${recorded} access.denied, each published, none acknowledged): ${kb(perEvent.bytes)} KiB by the daemon, ` +
        `${Math.round(perEvent.log)} bytes of log lines (journald's to write)`,
      `idle ${(idle.ms / 1000).toFixed(0)} s (every event acknowledged): ${idle.bytes} bytes by the daemon, ${idle.log} bytes of log; ` +
        `per idle day ${kb(idleDay)} KiB and ${kb(idleLogDay)} KiB of log (the hourly prune not included)`,
    ],
    data: {
      settings: SETTINGS,
      events: recorded,
      bytesPerEvent: Math.round(perEvent.bytes),
      logBytesPerEvent: Math.round(perEvent.log),
      idleMs: Math.round(idle.ms),
      idleBytes: idle.bytes,
      idleLogBytes: idle.log,
      bytesPerIdleDay: Math.round(idleDay),
      logBytesPerIdleDay: Math.round(idleLogDay),
    },
    failed: recorded < SETTINGS.events,
  };
}

/** The event log as a second connection sees it. */
class EventCount {
  private readonly db: Database;
  private readonly total: Statement;
  private readonly unsent: Statement;
  private readonly acked: Statement;

  constructor(database: string) {
    this.db = openDatabase(database, { readonly: true });
    this.total = this.db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck();
    this.unsent = this.db.prepare('SELECT count(*) FROM events WHERE published_at IS NULL').pluck();
    this.acked = this.db.prepare('SELECT acked_seq FROM delivery_state WHERE id = 1').pluck();
  }

  ackedSeq(): number {
    return this.acked.get() as number;
  }

  count(): number {
    return this.total.get() as number;
  }

  drained(timeoutMs: number): Promise<void> {
    return waitUntil(() => this.unsent.get() === 0, 'the outbox to drain', timeoutMs, 50);
  }

  close(): void {
    this.db.close();
  }
}
