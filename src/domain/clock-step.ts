/**
 * Wall-clock steps: NTP setting the clock of a Pi that booted with a stale one, or an operator
 * with `date -s`. The monotonic clock does not move with it, so the offset between the two
 * jumps; a slow slew (NTP's usual correction) changes it by milliseconds between ticks and is
 * not a step. Timers all run on the monotonic clock and are unaffected; the step is recorded so
 * that the records around it can be read (their `time` jumps, their `monotonicMs` does not).
 */
export interface ClockSample {
  wallMs: number;
  monotonicMs: number;
}

export interface ClockStep {
  /** What the wall clock would read now without the step. */
  fromMs: number;
  /** What it reads. */
  toMs: number;
  /** toMs − fromMs: positive when the clock jumped forward. */
  deltaMs: number;
}

export const DEFAULT_CLOCK_STEP_THRESHOLD_MS = 2_000;

/** The step between two samples, when the offset moved by at least `thresholdMs`. */
export function detectClockStep(
  previous: ClockSample,
  next: ClockSample,
  thresholdMs: number,
): ClockStep | null {
  const fromMs = previous.wallMs + (next.monotonicMs - previous.monotonicMs);
  const deltaMs = next.wallMs - fromMs;
  if (Math.abs(deltaMs) < thresholdMs) return null;
  return { fromMs, toMs: next.wallMs, deltaMs };
}
