/**
 * What run-all.ts needs from a benchmark: a name, and a run that returns both the lines a
 * person reads and the data a later comparison reads. Each benchmark owns its setup and its
 * teardown, so they can run one after another in one process.
 */
export interface Benchmark {
  /** Stable id: the key under which the result is stored in results/latest.json. */
  name: string;
  /** In-process measurements (a SQLite apply, a policy decision) return at once. */
  run(): BenchmarkResult | Promise<BenchmarkResult>;
}

export interface BenchmarkResult {
  /** The readable report, one line each, without the title. */
  lines: string[];
  /** Serialisable figures for results/latest.json. */
  data: unknown;
  /** Something went wrong with the measurement itself (not a missed goal): run-all exits 1. */
  failed: boolean;
  /** The benchmark's goal, when it has one: met or not. Informative; does not fail the run. */
  goalMet?: boolean;
}
