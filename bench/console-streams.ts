import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import { formatFobLine } from '../drivers/serial/fob-line.js';
import { openWebAccounts } from '../src/app/web-accounts/web-accounts.js';
import { silentLogger } from '../src/log/logger.js';
import { packageRoot } from '../src/paths.js';
import { encodeRdm6300 } from '../src/sim/reader-frames.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { freePort } from '../test/support/ports.js';
import { openPtyPair } from '../test/support/pty-pair.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { DaemonChild } from './daemon-child.js';
import {
  emptyTally,
  openConsoleStream,
  openScreenStream,
  signIn,
  type ConsoleSession,
  type OpenStream,
  type StreamTally,
} from './live-clients.js';
import { randomInt, seededRandom, type Random } from './prng.js';
import { PtyWriter } from './pty-writer.js';
import { seedHolders, type SeededCabinet } from './seed-holders.js';
import { SERVICE_UNIT, serviceNodeFlags } from './service-node-flags.js';
import { roundSummary, summarise, type Summary } from './stats.js';
import { pollUntil } from './wait.js';
import { WEB_SERVICE_UNIT, WebChild } from './web-child.js';

const SETTINGS = {
  holders: 100_000,
  slotCount: 12,
  sessionSeconds: 5,
  /** Live console streams in the streams phase: four per account, the console's own limit. */
  consoleStreams: 20,
  streamsPerAccount: 4,
  /** Cabinet-screen streams (the kiosk's one, and a reload overlapping it) in the same phase. */
  screenStreams: 2,
  /** Phases run none, streams, none, streams…: this many of each. */
  phasePairs: 8,
  badgesPerPhase: 80,
  /** Badges before measuring (half with the streams open), not counted. */
  warmupBadges: 40,
  /** As command-flood's: on a loaded 2-core machine a badge's tail passes 1 s now and then. */
  sampleTimeoutMs: 2_000,
  pacing: { minPauseMs: 5, maxPauseMs: 20, drainTimeoutMs: 1_000 },
  /** Stop starting phases after this, so the run is bounded whatever happens. */
  budgetMs: 240_000,
  /** The goal: badge→solenoid p99 with the streams at most this many times the p99 without. */
  goalP99Ratio: 1.1,
  seed: 20_261_212,
} as const;

const CABINET = 'bench-streams';
/** Long enough for the console's rules, never shown: the accounts live in a temp directory. */
const PASSWORD = 'bench streams password';

type Phase = 'none' | 'streams';

/**
 * KEYWARDEN_BENCH_CPU_PROF=<dir>: the daemon and the console write V8 CPU profiles there
 * (`node --cpu-prof`, at their exit), to see where each spends its time while streams are
 * open. The profiler's own sampling costs CPU: figures from such a run are not the figure.
 */
function cpuProfileArgs(name: 'daemon' | 'console'): string[] {
  const dir = process.env.KEYWARDEN_BENCH_CPU_PROF;
  if (!dir) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/**
 * Issue 12's figure: badge frame to solenoid p99 with 20 live console streams open, within
 * 10 % of the same figure with none, measured in the same run. The daemon (built CLI, the
 * unit's node options) on pty badge and fob readers, and the console (`keywarden web`, its own
 * unit's options) reaching it through the custodian socket as its delegate, both as child
 * processes; README.md explains the method.
 */
export const consoleStreams: Benchmark = {
  name: 'console-streams',
  async run() {
    // Undone in reverse order, whatever step fails.
    const cleanups: Array<() => unknown> = [];
    try {
      const dir = mkdtempSync(join(tmpdir(), 'keywarden-bench-streams-'));
      cleanups.unshift(() => rmSync(dir, { recursive: true, force: true }));
      const random = seededRandom(SETTINGS.seed);
      const database = join(dir, 'cabinet.db');
      const seeded = seedHolders(database, {
        holders: SETTINGS.holders,
        slotCount: SETTINGS.slotCount,
        random,
      });
      const rig = await startRig(dir, database, cleanups);
      await cabinetReady(rig, seeded);
      const sessions = await signInAll(rig.webUrl);
      const measured = await measure(rig, sessions, seeded, random);
      return report(seeded, measured);
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

interface Rig {
  badge: PtyWriter;
  fob: PtyWriter;
  stamps: SolenoidStamps;
  outbox: OutboxDepth;
  webUrl: string;
  screenUrl: string;
}

async function startRig(dir: string, database: string, cleanups: Array<() => unknown>) {
  const broker = await startMosquitto();
  cleanups.unshift(() => broker.stop());
  const badgePair = await openPtyPair();
  cleanups.unshift(() => badgePair.close());
  const fobPair = await openPtyPair();
  cleanups.unshift(() => fobPair.close());
  const badge = await PtyWriter.open(badgePair.peerPath);
  cleanups.unshift(() => badge.close());
  const fob = await PtyWriter.open(fobPair.peerPath);
  cleanups.unshift(() => fob.close());

  const socket = join(dir, 'custodian.sock');
  const accountsDatabase = join(dir, 'web.db');
  // The screen's port must be a real one (the config refuses 0): a free one, asked just before.
  const screenPort = await freePort();
  let screenServed = false;
  const daemon = new DaemonChild(
    {
      dir,
      database,
      brokerUrl: broker.url,
      cabinetId: CABINET,
      badgePath: badgePair.devicePath,
      fobPath: fobPair.devicePath,
    },
    {
      config: {
        cabinet: { sessionSeconds: SETTINGS.sessionSeconds },
        // The console's Unix user (here the one running the benchmark) as the delegate, as
        // docs/web.md sets it up; the screen on a port of its own, as a kiosk cabinet has it.
        custodians: {
          socket,
          accounts: {
            [userInfo().username]: { account: 'web-console', role: 'custodian', delegate: true },
          },
        },
        screen: { port: screenPort },
      },
      nodeArgs: [
        ...cpuProfileArgs('daemon'),
        '--import',
        join(packageRoot(), 'dist', 'bench', 'solenoid-stamps.js'),
      ],
      sideChannel: true,
      onLogLine: (line) => {
        if (line.includes('"msg":"cabinet screen served at /cabinet"')) screenServed = true;
      },
    },
  );
  cleanups.unshift(() => daemon.stop());
  await daemon.start().ready;
  const side = daemon.sideChannel;
  if (!side) throw new Error('the daemon child has no side channel for the solenoid stamps');
  if (!screenServed) throw new Error(`the daemon did not serve the screen on ${screenPort}`);
  const stamps = new SolenoidStamps(side);
  cleanups.unshift(() => stamps.close());
  const outbox = new OutboxDepth(database);
  cleanups.unshift(() => outbox.close());

  // The console's config: the same cabinet, the socket, and where it listens (docs/web.md).
  const webConfig = join(dir, 'web.json');
  writeFileSync(
    webConfig,
    JSON.stringify({
      version: 1,
      cabinetId: CABINET,
      profile: join(dir, 'profile.json'),
      custodians: { socket },
      web: { host: '127.0.0.1', port: 0, accountsDatabase },
      log: { level: 'info' },
    }),
  );
  await addAccounts(accountsDatabase);
  const web = await WebChild.start(webConfig, cpuProfileArgs('console'));
  cleanups.unshift(() => web.stop());
  return {
    badge,
    fob,
    stamps,
    outbox,
    webUrl: web.url,
    screenUrl: `http://127.0.0.1:${screenPort}`,
  } satisfies Rig;
}

/** One auditor account per four streams: the console allows a person four live pages. */
function accountNames(): string[] {
  const count = Math.ceil(SETTINGS.consoleStreams / SETTINGS.streamsPerAccount);
  return Array.from({ length: count }, (_, i) => `auditor${i + 1}`);
}

async function addAccounts(file: string): Promise<void> {
  const accounts = openWebAccounts(file, { logger: silentLogger() });
  try {
    for (const account of accountNames()) {
      await accounts.add('unix:bench', { account, role: 'viewer', password: PASSWORD });
    }
  } finally {
    accounts.close();
  }
}

async function signInAll(webUrl: string): Promise<ConsoleSession[]> {
  const sessions: ConsoleSession[] = [];
  // One after another: sign-in hashes are deliberately slow and the console runs two at once.
  for (const account of accountNames()) sessions.push(await signIn(webUrl, account, PASSWORD));
  return sessions;
}

/**
 * The fob reader reports every key in its home slot, then probe badges until one releases a
 * solenoid: the readers open asynchronously and bytes written before that are lost, so each is
 * proven by its effect.
 */
async function cabinetReady(rig: Rig, seeded: SeededCabinet): Promise<void> {
  const lines = seeded.keyTags.map((tag, i) => `${formatFobLine(i + 1, tag)}\r\n`).join('');
  for (const card of seeded.cards.slice(-20)) {
    await rig.fob.write(Buffer.from(lines, 'ascii'), 'async');
    const released = rig.stamps.next(500);
    await rig.badge.write(encodeRdm6300(card), 'async');
    if ((await released) !== null) return;
  }
  throw new Error('no badge released a solenoid: the readers never came online');
}

interface Measured {
  latency: Record<Phase, number[]>;
  missed: Record<Phase, number>;
  tally: Record<Phase, StreamTally>;
  phases: Record<Phase, number>;
  /** Streams open in each streams phase (console, screen), checked before its badges. */
  open: { console: number; screen: number };
  undrained: number;
  truncated: boolean;
  ms: number;
}

async function measure(
  rig: Rig,
  sessions: readonly ConsoleSession[],
  seeded: SeededCabinet,
  random: Random,
): Promise<Measured> {
  const result: Measured = {
    latency: { none: [], streams: [] },
    missed: { none: 0, streams: 0 },
    tally: { none: emptyTally(), streams: emptyTally() },
    phases: { none: 0, streams: 0 },
    open: { console: 0, screen: 0 },
    undrained: 0,
    truncated: false,
    ms: 0,
  };
  const offset = clockOffset();
  let previous = '';
  const badges = async (count: number, phase: Phase | null): Promise<void> => {
    for (let i = 0; i < count; i++) {
      previous = pickCard(random, seeded.cards, previous);
      const released = rig.stamps.next(SETTINGS.sampleTimeoutMs);
      const t0 = (await rig.badge.write(encodeRdm6300(previous), 'sync')) + offset;
      const t1 = await released;
      const { drainTimeoutMs, minPauseMs, maxPauseMs } = SETTINGS.pacing;
      const drained = await pollUntil(() => rig.outbox.empty(), drainTimeoutMs, 2);
      await sleep(randomInt(random, minPauseMs, maxPauseMs));
      if (phase === null) continue;
      if (!drained) result.undrained += 1;
      if (t1 === null) result.missed[phase] += 1;
      else result.latency[phase].push(t1 - t0);
    }
  };
  const withStreams = async (tally: StreamTally, work: () => Promise<void>): Promise<number[]> => {
    const streams: OpenStream[] = [];
    try {
      const opening = Array.from({ length: SETTINGS.consoleStreams }, (_, i) => {
        const session = sessions[Math.floor(i / SETTINGS.streamsPerAccount)];
        if (!session) throw new Error(`no session for stream ${i}`);
        return openConsoleStream(rig.webUrl, session, tally).then((s) => streams.push(s));
      });
      await Promise.all(opening);
      const consoleOpen = streams.length;
      for (let i = 0; i < SETTINGS.screenStreams; i++) {
        streams.push(await openScreenStream(rig.screenUrl, tally));
      }
      await work();
      return [consoleOpen, streams.length - consoleOpen];
    } finally {
      for (const stream of streams) stream.close();
    }
  };

  await badges(SETTINGS.warmupBadges / 2, null);
  await withStreams(emptyTally(), () => badges(SETTINGS.warmupBadges / 2, null));
  const started = performance.now();
  for (let pair = 0; pair < SETTINGS.phasePairs; pair++) {
    if (performance.now() - started > SETTINGS.budgetMs) {
      result.truncated = true;
      break;
    }
    await badges(SETTINGS.badgesPerPhase, 'none');
    result.phases.none += 1;
    const [consoleOpen = 0, screenOpen = 0] = await withStreams(result.tally.streams, () =>
      badges(SETTINGS.badgesPerPhase, 'streams'),
    );
    result.open = { console: consoleOpen, screen: screenOpen };
    result.phases.streams += 1;
  }
  result.ms = performance.now() - started;
  return result;
}

/**
 * performance.now() (what PtyWriter reads t0 from) to CLOCK_MONOTONIC (what the daemon's probe
 * stamps with): both are the same clock, performance.now() counted from this process's start,
 * so the offset is fixed. The smallest of a few paired readings is the tightest.
 */
function clockOffset(): number {
  let best = Number.POSITIVE_INFINITY;
  let offset = 0;
  for (let i = 0; i < 20; i++) {
    const before = performance.now();
    const mono = Number(process.hrtime.bigint() / 1000n) / 1000;
    const after = performance.now();
    if (after - before < best) {
      best = after - before;
      offset = mono - (before + after) / 2;
    }
  }
  return offset;
}

/** A random holder's card, never the one just presented (that would be the same presentation). */
function pickCard(random: Random, cards: readonly string[], previous: string): string {
  for (;;) {
    const card = cards[randomInt(random, 0, cards.length - 1)];
    if (card !== undefined && card !== previous) return card;
  }
}

function report(seeded: SeededCabinet, m: Measured): BenchmarkResult {
  const none = roundSummary(summarise(m.latency.none));
  const streams = roundSummary(summarise(m.latency.streams));
  const ratio = Math.round((streams.p99 / none.p99) * 1000) / 1000;
  const failed =
    m.missed.none + m.missed.streams > 0 ||
    m.truncated ||
    none.n === 0 ||
    streams.n === 0 ||
    m.open.console !== SETTINGS.consoleStreams ||
    m.open.screen !== SETTINGS.screenStreams ||
    m.tally.streams.failedReads > 0;
  const goalMet = !failed && ratio <= SETTINGS.goalP99Ratio;
  const row = (label: string, s: Summary) =>
    `  ${label.padEnd(22)}${[s.p50, s.p90, s.p99, s.max].map((x) => x.toFixed(3).padStart(9)).join('')}${String(s.n).padStart(7)}`;
  const t = m.tally.streams;
  return {
    lines: [
      `${SETTINGS.holders.toLocaleString('en')} holders; the daemon (node ${serviceNodeFlags().join(' ')}, ` +
        `as in ${SERVICE_UNIT}) on socat pty readers with a real Mosquitto, and the console ` +
        `(node ${WebChild.nodeFlags().join(' ')}, as in ${WEB_SERVICE_UNIT}) on the custodian ` +
        `socket as its delegate, both child processes; seeded in ${(seeded.ms / 1000).toFixed(1)} s`,
      `streams phase: ${m.open.console} live console streams (GET /api/live, ` +
        `${SETTINGS.streamsPerAccount} per signed-in auditor; plain HTTP clients, which is what a ` +
        `browser's EventSource is to the server, each reading the overview's slots and alarms ` +
        `as the page opens and parsing the overview each message carries, as the page does) ` +
        `and ${m.open.screen} cabinet-screen streams ` +
        `(GET /api/cabinet/stream on screen.port, as the kiosk holds)`,
      `${m.phases.none} + ${m.phases.streams} phases of ${SETTINGS.badgesPerPhase} badges, ` +
        `none / streams alternating, after ${SETTINGS.warmupBadges} warm-up badges; t0 when ` +
        `fs.writeSync() returns, t1 the daemon's CLOCK_MONOTONIC at the solenoid write; ` +
        `${(m.ms / 1000).toFixed(1)} s`,
      `  ${''.padEnd(22)}${['p50', 'p90', 'p99', 'max'].map((h) => h.padStart(9)).join('')}${'n'.padStart(7)}  (ms)`,
      row('no streams', none),
      row('with the streams', streams),
      `  stream messages ${t.messages} (${t.views} with the overview), pages' own reads ` +
        `${t.reads} (${t.failedReads} failed)`,
      `failures: ${m.missed.none + m.missed.streams} badges without a solenoid` +
        (m.truncated ? ', TIME BUDGET RAN OUT' : '') +
        `; outbox not drained before the next badge: ${m.undrained}`,
      `GOAL: ${goalMet ? 'MET' : 'MISSED'}, p99 with the streams ÷ p99 without = ` +
        `${streams.p99.toFixed(3)} ÷ ${none.p99.toFixed(3)} = ${ratio.toFixed(3)} ` +
        `(at most ${SETTINGS.goalP99Ratio})`,
    ],
    data: {
      settings: SETTINGS,
      seedMs: Math.round(seeded.ms),
      durationMs: Math.round(m.ms),
      phases: m.phases,
      open: m.open,
      none,
      streams,
      p99Ratio: ratio,
      missed: m.missed,
      undrained: m.undrained,
      truncated: m.truncated,
      streamActivity: m.tally.streams,
      goalMet,
    },
    failed,
    goalMet,
  };
}

/** The daemon probe's solenoid stamps (solenoid-stamps.ts), one line each, on its fd 3. */
class SolenoidStamps {
  private waiter: ((at: number) => void) | null = null;
  private readonly lines;

  constructor(side: Readable) {
    this.lines = createInterface({ input: side });
    this.lines.on('line', (line) => {
      const waiter = this.waiter;
      this.waiter = null;
      waiter?.(Number(line));
    });
  }

  /** Arms the watch: the next stamp, or null after `timeoutMs`. Arm it before the badge. */
  next(timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (at) => {
        clearTimeout(timer);
        resolve(at);
      };
    });
  }

  close(): void {
    this.waiter = null;
    this.lines.close();
  }
}

/** The outbox's depth from a read-only connection of the benchmark's own. */
class OutboxDepth {
  private readonly db: Database;
  private readonly depth: Statement;

  constructor(database: string) {
    this.db = openDatabase(database, { readonly: true });
    this.depth = this.db.prepare('SELECT count(*) FROM events WHERE published_at IS NULL').pluck();
  }

  empty(): boolean {
    return this.depth.get() === 0;
  }

  close(): void {
    this.db.close();
  }
}
