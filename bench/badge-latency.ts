import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadgeSampler } from './badge-sampler.js';
import { BenchCabinet } from './bench-cabinet.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { waitForCabinet } from './cabinet-ready.js';
import { runRounds, type RoundsResult } from './latency-rounds.js';
import { BareCommitSampler } from './commit-sampler.js';
import { priorityText } from './service-priority.js';
import { figuresFor, GOAL_MODE, goalText, modesLines } from './latency-report.js';
import { seededRandom } from './prng.js';
import { PtyDeliveryProbe } from './pty-delivery.js';
import { seedHolders, type SeededCabinet } from './seed-holders.js';
import { SolenoidWatch } from './solenoid-watch.js';
import { StageProbe } from './stage-probe.js';

const SETTINGS = {
  holders: 100_000,
  slotCount: 12,
  badges: 1_000,
  /** Rounds before measuring: 25 rounds are 50 badges (and 50 bare-pty frames). */
  warmup: 25,
  /** The RDM6300's rate; a pty ignores it, but the port is opened as on the Pi. */
  baudRate: 9600,
  /** Short, but longer than a run: sessions end because the next badge arrives, as designed. */
  sessionSeconds: 5,
  sampleTimeoutMs: 1_000,
  pacing: { minPauseMs: 5, maxPauseMs: 20, drainTimeoutMs: 1_000 },
  /** Measuring stops starting rounds after this, keeping the whole run under ~3 minutes. */
  budgetMs: 200_000,
  seed: 20_240_601,
} as const;

/**
 * Badge frame to solenoid, on the real daemon with 100,000 holders, compared with the bare
 * pty's own delivery time (README.md explains the method).
 */
export const badgeLatency: Benchmark = {
  name: 'badge-latency',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-bench-'));
    try {
      const database = join(dir, 'cabinet.db');
      const random = seededRandom(SETTINGS.seed);
      const seeded = seedHolders(database, {
        holders: SETTINGS.holders,
        slotCount: SETTINGS.slotCount,
        random,
      });
      const rounds = await measure(dir, database, seeded, random);
      return result(seeded, rounds);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function measure(
  dir: string,
  database: string,
  seeded: SeededCabinet,
  random: () => number,
): Promise<RoundsResult & { priority: string }> {
  const probe = await PtyDeliveryProbe.open(SETTINGS.baudRate);
  // Beside the daemon's database: the same disk and file system.
  const commits = new BareCommitSampler(join(dir, 'bare-commit.db'));
  try {
    const cabinet = await BenchCabinet.start({
      dir,
      database,
      keyTags: seeded.keyTags,
      sessionSeconds: SETTINGS.sessionSeconds,
    });
    const watch = new SolenoidWatch(cabinet.gpio);
    const stages = new StageProbe(cabinet.daemon.runner, cabinet.daemon.eventLog);
    try {
      // Cards from the far end of the table, so the measured badges start as cold as any.
      await waitForCabinet(cabinet, watch, seeded.cards.slice(-10));
      const sampler = new BadgeSampler(cabinet, watch, stages, SETTINGS.sampleTimeoutMs);
      const rounds = await runRounds(
        sampler,
        { pty: probe, commit: commits },
        cabinet.daemon.eventLog,
        {
          warmup: SETTINGS.warmup,
          rounds: SETTINGS.badges,
          budgetMs: SETTINGS.budgetMs,
          sampleTimeoutMs: SETTINGS.sampleTimeoutMs,
          pacing: SETTINGS.pacing,
          random,
          cards: seeded.cards,
        },
      );
      return { ...rounds, priority: priorityText(cabinet.priority) };
    } finally {
      stages.close();
      watch.close();
      await cabinet.stop();
    }
  } finally {
    commits.close();
    await probe.close();
  }
}

function result(
  seeded: SeededCabinet,
  rounds: RoundsResult & { priority: string },
): BenchmarkResult {
  const figures = { async: figuresFor(rounds, 'async'), sync: figuresFor(rounds, 'sync') };
  const failures = Object.values(figures).reduce((n, f) => n + f.badgeMissed + f.ptyLost, 0);
  const failed = failures > 0 || rounds.truncated || rounds.rounds === 0;
  const goalMet = figures[GOAL_MODE].goalMet && !failed;
  const lines = [
    `${SETTINGS.holders.toLocaleString('en')} holders (one card each, ` +
      `${seeded.permissions.toLocaleString('en')} slot permissions), ${SETTINGS.slotCount} keys at home; ` +
      `seeded in ${(seeded.ms / 1000).toFixed(1)} s`,
    `daemon in-process: real serialport on socat ptys, SQLite (WAL, synchronous=FULL) under ${tmpdir()}, ` +
      `real Mosquitto; ${rounds.priority}`,
    `${rounds.rounds} measured rounds after ${SETTINGS.warmup} warm-up rounds (${SETTINGS.warmup * 2} badges), each: per write mode one ` +
      `bare-pty sample, one bare commit (own file beside the daemon's, WAL, synchronous=FULL) and one badge; ` +
      `${SETTINGS.pacing.minPauseMs}-${SETTINGS.pacing.maxPauseMs} ms ` +
      `random pause after the outbox drains; ${(rounds.ms / 1000).toFixed(1)} s`,
    '',
    ...modesLines(figures),
    `failures: ${figures.async.badgeMissed + figures.sync.badgeMissed} badges without a solenoid, ` +
      `${figures.async.ptyLost + figures.sync.ptyLost} pty frames lost` +
      (rounds.truncated ? `, TIME BUDGET RAN OUT after ${rounds.rounds} rounds` : '') +
      `; outbox not drained before the next sample: ${rounds.undrained}`,
    `GOAL (judged in ${GOAL_MODE} mode): ${goalMet ? 'MET' : 'MISSED'}, ${goalText(figures[GOAL_MODE])}`,
  ];
  return {
    lines,
    failed,
    goalMet,
    data: {
      settings: SETTINGS,
      permissions: seeded.permissions,
      seedMs: Math.round(seeded.ms),
      rounds: rounds.rounds,
      truncated: rounds.truncated,
      undrained: rounds.undrained,
      durationMs: Math.round(rounds.ms),
      goalMode: GOAL_MODE,
      goalMet,
      modes: figures,
    },
  };
}
