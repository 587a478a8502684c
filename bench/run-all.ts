import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { badgeLatency } from './badge-latency.js';
import { bridgeThroughput } from './bridge-throughput.js';
import { commandFlood } from './command-flood.js';
import { consolePeople } from './console-people.js';
import { consoleStreams } from './console-streams.js';
import { daemonMemory } from './daemon-memory.js';
import { eventSearch } from './event-search.js';
import { osdpCardLatency } from './osdp-card-latency.js';
import { osdpPollCycle } from './osdp-poll-cycle.js';
import { outboxDrain } from './outbox-drain.js';
import { permissionSync } from './permission-sync.js';
import { policyDecision } from './policy-decision.js';
import { sdCardWrites } from './sd-card-writes.js';
import { startUp } from './start-up.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { describeMachine, machineFacts } from './machine.js';
import { writeResults } from './results-file.js';

/** Every benchmark, run in this order. Adding one is adding it here. */
const BENCHMARKS: readonly Benchmark[] = [
  badgeLatency,
  bridgeThroughput,
  commandFlood(),
  consolePeople,
  consoleStreams,
  daemonMemory,
  eventSearch,
  osdpCardLatency,
  osdpPollCycle,
  outboxDrain,
  permissionSync,
  policyDecision,
  sdCardWrites,
  startUp,
];

/**
 * After the last benchmark, anything still holding the event loop open is a leak: say so and
 * exit. Generous, because test/support/mosquitto.ts's stop() leaves a 10 s timer running
 * (it races the broker's exit against a sleep it never cancels); the run ends by itself then.
 */
const EXIT_GRACE_MS = 15_000;

interface Outcome {
  name: string;
  ms: number;
  result?: BenchmarkResult;
  error?: string;
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const startedAt = new Date().toISOString();
  print(['Keywarden benchmarks', ...describeMachine(machine), '']);
  const outcomes: Outcome[] = [];
  for (const benchmark of selected(process.argv.slice(2))) {
    print([`== ${benchmark.name} ==`]);
    const started = performance.now();
    try {
      const result = await benchmark.run();
      outcomes.push({ name: benchmark.name, ms: performance.now() - started, result });
      print([...result.lines, '']);
    } catch (err) {
      // One broken benchmark must not hide the others' figures.
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      outcomes.push({ name: benchmark.name, ms: performance.now() - started, error });
      print([`FAILED: ${error}`, '']);
    }
  }

  const file = join(packageRoot(), 'bench', 'results', 'latest.json');
  await writeResults(file, {
    startedAt,
    machine,
    benchmarks: Object.fromEntries(
      outcomes.map((o) => [
        o.name,
        {
          durationMs: Math.round(o.ms),
          failed: o.error !== undefined || o.result?.failed === true,
          goalMet: o.result?.goalMet ?? null,
          error: o.error ?? null,
          results: o.result?.data ?? null,
        },
      ]),
    ),
  });
  print([`load average (1 min) at the end: ${machineFacts().loadAverage1m}`]);
  const failures = outcomes.filter((o) => o.error !== undefined || o.result?.failed === true);
  print([
    `results written to ${file}`,
    failures.length === 0
      ? 'all benchmarks ran without failures'
      : `failed: ${failures.map((o) => o.name).join(', ')}`,
  ]);
  process.exitCode = failures.length === 0 ? 0 : 1;
  exitIfStuck();
}

/** The benchmarks named on the command line (`npm run bench -- daemon-memory`), else all. */
function selected(names: readonly string[]): readonly Benchmark[] {
  if (names.length === 0) return BENCHMARKS;
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

function print(lines: readonly string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
}

/** Unref'd: it only fires if something else keeps the process alive past the grace period. */
function exitIfStuck(): void {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().join(', ');
    process.stderr.write(
      `bench: still running ${EXIT_GRACE_MS} ms after the end (${open}); exiting\n`,
    );
    process.exit(process.exitCode ?? 1);
  }, EXIT_GRACE_MS).unref();
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
  exitIfStuck();
});
