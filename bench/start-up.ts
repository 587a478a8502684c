import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../src/paths.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { roundSummary, summarise, type Summary } from './stats.js';

const SETTINGS = {
  runs: 7,
  /** A start that has not reported ready by then is a failed measurement. */
  timeoutMs: 20_000,
} as const;

/** The goal: every output driven off within 200 ms of the process starting. */
const GOAL_OUTPUTS_OFF_MS = 200;

/** The daemon's start-up log lines that carry `sinceStartMs` (ms since its process started). */
const MILESTONES = {
  outputsOff: 'outputs claimed and off',
  codeLoaded: 'daemon code loaded',
  databaseOpen: 'database open',
  readersStarted: 'readers started',
  ready: 'cabinet ready',
} as const;
type Milestone = keyof typeof MILESTONES;
type Marks = Record<Milestone, number>;

/**
 * Start-up as systemd sees it: the built CLI (`keywarden run`) as a child process, on the
 * simulated cabinet (sim profile: simulated GPIO and readers, whose fob reader reports every
 * slot when it comes online), with an existing database (a first, uncounted start creates and
 * migrates it) and no broker (the daemon does not wait for one). Each milestone is read from
 * the daemon's own log, as milliseconds since its process started (performance.timeOrigin).
 *
 * Split: loading = process start → the daemon's code loaded (Node, the CLI, config and profile
 * validation, the lock, the outputs, then the rest of the modules); opening → the readers
 * started (database, MQTT link, simulator, readers opened); first scan → ready (the fob
 * reader online, its reports, the start reconciliation).
 */
export const startUp: Benchmark = {
  name: 'start-up',
  async run(): Promise<BenchmarkResult> {
    const dir = mkdtempSync(join(tmpdir(), 'keywarden-bench-start-'));
    try {
      const configFile = writeConfig(dir);
      await startOnce(configFile);
      const runs: Marks[] = [];
      for (let i = 0; i < SETTINGS.runs; i++) runs.push(await startOnce(configFile));
      return report(runs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function report(runs: Marks[]): BenchmarkResult {
  const pick = (f: (m: Marks) => number): Summary => roundSummary(summarise(runs.map(f)));
  const figures = {
    outputsOff: pick((m) => m.outputsOff),
    loading: pick((m) => m.codeLoaded),
    opening: pick((m) => m.readersStarted - m.codeLoaded),
    firstScan: pick((m) => m.ready - m.readersStarted),
    ready: pick((m) => m.ready),
  };
  const goalMet = figures.outputsOff.max <= GOAL_OUTPUTS_OFF_MS;
  const row = (label: string, s: Summary) =>
    `${label.padEnd(44)} ${s.p50.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}`;
  return {
    lines: [
      `${runs.length} starts of the built daemon (sim profile, existing database, no broker)`,
      `${'ms'.padEnd(44)} ${'p50'.padStart(8)} ${'max'.padStart(8)}`,
      row('outputs off (from process start)', figures.outputsOff),
      row('loading (process start → daemon code loaded)', figures.loading),
      row('opening (→ database, MQTT link, readers started)', figures.opening),
      row("first scan (→ fob reader's report reconciled)", figures.firstScan),
      row('ready (from process start)', figures.ready),
      `goal: outputs off within ${GOAL_OUTPUTS_OFF_MS} ms of process start in every start: ${goalMet ? 'met' : 'NOT met'}`,
    ],
    data: { settings: SETTINGS, goalOutputsOffMs: GOAL_OUTPUTS_OFF_MS, ...figures, runs },
    failed: false,
    goalMet,
  };
}

function writeConfig(dir: string): string {
  const configFile = join(dir, 'config.json');
  const config = {
    version: 1,
    cabinetId: 'bench-start',
    profile: 'sim',
    database: join(dir, 'cabinet.db'),
    mqtt: { url: 'mqtt://127.0.0.1:9', allowPlainText: true, reconnectMs: 60_000 },
    sim: { host: '127.0.0.1', port: 0 },
    log: { level: 'info' },
  };
  writeFileSync(configFile, JSON.stringify(config));
  return configFile;
}

/** One start to ready, then a clean stop; the milestones it logged. */
function startOnce(configFile: string): Promise<Marks> {
  const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'run', '--config', configFile, '--no-interactive'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen: Partial<Marks> = {};
  const tail: string[] = [];
  return new Promise<Marks>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "cabinet ready" within ${SETTINGS.timeoutMs} ms:\n${tail.join('\n')}`));
    }, SETTINGS.timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      const missing = Object.keys(MILESTONES).filter((k) => seen[k as Milestone] === undefined);
      if (missing.length === 0) return resolve(seen as Marks);
      const lines = tail.join('\n');
      reject(
        new Error(`the daemon exited (${code}) without logging ${missing.join(', ')}:\n${lines}`),
      );
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 10) tail.shift();
      const parsed = parseLine(line);
      if (!parsed) return;
      for (const [key, msg] of Object.entries(MILESTONES) as Array<[Milestone, string]>) {
        if (parsed.msg === msg) seen[key] = parsed.sinceStartMs;
      }
      if (parsed.msg === MILESTONES.ready) child.kill('SIGTERM');
    });
  });
}

function parseLine(line: string): { msg: string; sinceStartMs: number } | undefined {
  try {
    const value = JSON.parse(line) as { msg?: unknown; sinceStartMs?: unknown };
    if (typeof value.msg === 'string' && typeof value.sinceStartMs === 'number') {
      return { msg: value.msg, sinceStartMs: value.sinceStartMs };
    }
  } catch {
    // Not a log line.
  }
  return undefined;
}
