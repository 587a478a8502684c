/** Order statistics over latency samples (ms). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Nearest-rank percentile of sorted samples: the smallest sample with at least p% of the
 * samples at or below it. Always a measured value, never an interpolation between two.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((acc, x) => acc + x, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

/** Rounds to microseconds for reports and JSON: the clock is not finer than that anyway. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function roundSummary(s: Summary): Summary {
  return {
    n: s.n,
    min: roundMs(s.min),
    p50: roundMs(s.p50),
    p90: roundMs(s.p90),
    p99: roundMs(s.p99),
    max: roundMs(s.max),
    mean: roundMs(s.mean),
  };
}
