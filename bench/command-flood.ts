import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/store/database.js';
import { BadgeSampler } from './badge-sampler.js';
import { BenchCabinet } from './bench-cabinet.js';
import { priorityText } from './service-priority.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { waitForCabinet } from './cabinet-ready.js';
import { randomInt, seededRandom, type Random } from './prng.js';
import { mbOfKb, RssSampler } from './rss-sampler.js';
import { seedHolders } from './seed-holders.js';
import { SolenoidWatch } from './solenoid-watch.js';
import { StageProbe } from './stage-probe.js';
import { roundMs, roundSummary, summarise, type Summary } from './stats.js';

export interface CommandFloodOptions {
  /** How long the flood lasts (60 s in `npm run bench`). */
  floodSeconds: number;
  /** Unsigned commands per second. */
  perSecond: number;
  /** How long badges are timed before the flood, with nothing else going on. */
  idleSeconds: number;
}

const SETTINGS = {
  holders: 10_000,
  slotCount: 12,
  sessionSeconds: 5,
  sampleTimeoutMs: 2_000,
  pauseMs: { min: 20, max: 50 },
  rssEveryMs: 100,
  /** The goal: badge→solenoid p99 under the flood within this much of the idle p99. */
  goalP99Ratio: 1.2,
  seed: 20_261_207,
} as const;

/**
 * Badge frame to solenoid while 1,000 unsigned commands a second arrive on `cmd/ping` (issue
 * 11): the same daemon, the same run, badges timed first with nothing else going on, then
 * under the flood; and the daemon's resident memory throughout. The daemon runs in this process
 * (bench-cabinet.ts: real ptys, real SQLite, real Mosquitto); the flood comes from another
 * process (flood-publisher.ts) through the broker, as an attacker's would.
 */
export function commandFlood(options: Partial<CommandFloodOptions> = {}): Benchmark {
  const settings: CommandFloodOptions = {
    floodSeconds: 60,
    perSecond: 1_000,
    idleSeconds: 20,
    ...options,
  };
  return {
    name: 'command-flood',
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'keywarden-flood-'));
      try {
        return await measure(dir, settings);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function measure(dir: string, settings: CommandFloodOptions): Promise<BenchmarkResult> {
  const database = join(dir, 'cabinet.db');
  const random = seededRandom(SETTINGS.seed);
  const seeded = seedHolders(database, {
    holders: SETTINGS.holders,
    slotCount: SETTINGS.slotCount,
    random,
  });
  const cabinet = await BenchCabinet.start({
    dir,
    database,
    keyTags: seeded.keyTags,
    sessionSeconds: SETTINGS.sessionSeconds,
  });
  const watch = new SolenoidWatch(cabinet.gpio);
  const stages = new StageProbe(cabinet.daemon.runner, cabinet.daemon.eventLog);
  const rss = {
    idle: new RssSampler(process.pid, SETTINGS.rssEveryMs),
    flood: undefined as RssSampler | undefined,
  };
  let idle: number[];
  let flood: number[];
  let missed = 0;
  let published: { sent: number; seconds: number };
  try {
    await waitForCabinet(cabinet, watch, seeded.cards.slice(-10));
    const sampler = new BadgeSampler(cabinet, watch, stages, SETTINGS.sampleTimeoutMs);
    const badges = async (until: () => boolean): Promise<number[]> => {
      const latencies: number[] = [];
      while (!until()) {
        const card = seeded.cards[randomInt(random, 0, seeded.cards.length - 1)]!;
        const sample = await sampler.present(card, 'async');
        if (sample === null) missed += 1;
        else latencies.push(sample.latency);
        await pause(random);
      }
      return latencies;
    };
    const idleEnd = performance.now() + settings.idleSeconds * 1000;
    idle = await badges(() => performance.now() >= idleEnd);
    rss.idle.stop();
    rss.flood = new RssSampler(process.pid, SETTINGS.rssEveryMs);
    const { host, port } = cabinet.daemon.mqtt.client.options;
    const publisher = startFlood(`mqtt://${host}:${port}`, settings);
    let floodOver = false;
    void publisher.then(
      () => (floodOver = true),
      () => (floodOver = true),
    );
    flood = await badges(() => floodOver);
    published = await publisher;
    rss.flood.stop();
  } finally {
    rss.idle.stop();
    rss.flood?.stop();
    stages.close();
    watch.close();
    await cabinet.stop();
  }
  const priority = priorityText(cabinet.priority);
  return result(
    settings,
    idle,
    flood,
    missed,
    published,
    refusalsRecorded(database),
    rss,
    priority,
  );
}

/** The flood, in its own process; resolves with what it sent once it has sent it all. */
function startFlood(
  url: string,
  settings: CommandFloodOptions,
): Promise<{ sent: number; seconds: number }> {
  const script = join(import.meta.dirname, 'flood-publisher.js');
  const child = spawn(
    process.execPath,
    [script, url, 'bench', String(settings.perSecond), String(settings.floodSeconds)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`flood publisher exited ${code}`));
      else resolve(JSON.parse(output) as { sent: number; seconds: number });
    }),
  );
}

/** The refusals the cabinet counted: each `command.rejected` event is one, or its `count` more. */
function refusalsRecorded(database: string): { events: number; refusals: number } {
  const db = openDatabase(database, { readonly: true });
  try {
    const rows = db
      .prepare("SELECT payload FROM events WHERE type = 'command.rejected'")
      .all() as Array<{ payload: string }>;
    const refusals = rows.reduce((sum, row) => {
      const { data } = JSON.parse(row.payload) as { data: { count?: number } };
      return sum + (data.count ?? 1);
    }, 0);
    return { events: rows.length, refusals };
  } finally {
    db.close();
  }
}

function pause(random: Random): Promise<void> {
  return sleep(randomInt(random, SETTINGS.pauseMs.min, SETTINGS.pauseMs.max));
}

function result(
  settings: CommandFloodOptions,
  idleSamples: number[],
  floodSamples: number[],
  missed: number,
  published: { sent: number; seconds: number },
  recorded: { events: number; refusals: number },
  rss: { idle: RssSampler; flood: RssSampler | undefined },
  priority: string,
): BenchmarkResult {
  const idle = roundSummary(summarise(idleSamples));
  const flood = roundSummary(summarise(floodSamples));
  const ratio = flood.p99 / idle.p99;
  const failed = missed > 0 || idle.n === 0 || flood.n === 0;
  const goalMet = !failed && ratio <= SETTINGS.goalP99Ratio;
  const line = (label: string, s: Summary) =>
    `${label}: n=${s.n} p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms`;
  const rate = published.sent / published.seconds;
  const lines = [
    `${SETTINGS.holders.toLocaleString('en')} holders; daemon in-process (real ptys, SQLite, Mosquitto), ` +
      `${priority}; flood from another process: unsigned pings on cmd/ping, QoS 1`,
    `badges every ${SETTINGS.pauseMs.min}-${SETTINGS.pauseMs.max} ms after the last one's solenoid: ` +
      `${settings.idleSeconds} s idle, then for the whole flood`,
    `flood: ${published.sent.toLocaleString('en')} messages in ${published.seconds.toFixed(1)} s ` +
      `(${Math.round(rate)}/s); the cabinet counted ${recorded.refusals.toLocaleString('en')} refusals ` +
      `in ${recorded.events} command.rejected events`,
    line('badge→solenoid idle ', idle),
    line('badge→solenoid flood', flood),
    `p99 flood/idle: ${ratio.toFixed(2)}; missed badges: ${missed}`,
    `daemon RSS peak: idle ${mbOfKb(rss.idle.maxKb)} MB, under the flood ${mbOfKb(rss.flood?.maxKb ?? 0)} MB ` +
      `(last ${mbOfKb(rss.flood?.lastKb ?? 0)} MB)`,
    `GOAL: ${goalMet ? 'MET' : 'MISSED'}, flood p99 within ${Math.round((SETTINGS.goalP99Ratio - 1) * 100)} % ` +
      `of idle p99 (${flood.p99} ms vs ${idle.p99} ms)`,
  ];
  return {
    lines,
    failed,
    goalMet,
    data: {
      settings: { ...SETTINGS, ...settings },
      published,
      recorded,
      idle,
      flood,
      p99Ratio: roundMs(ratio),
      missed,
      rssMb: {
        idlePeak: mbOfKb(rss.idle.maxKb),
        floodPeak: mbOfKb(rss.flood?.maxKb ?? 0),
        floodLast: mbOfKb(rss.flood?.lastKb ?? 0),
      },
    },
  };
}
