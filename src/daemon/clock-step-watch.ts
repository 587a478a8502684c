import type { Clock } from '../domain/clock.js';
import { detectClockStep, type ClockSample, type ClockStep } from '../domain/clock-step.js';

/**
 * Samples both clocks at each check (the daemon's tick) and reports a wall-clock step between
 * two checks (src/domain/clock-step.ts). Comparing consecutive samples, not the first one, lets
 * NTP's slow slew pass unreported however long the daemon runs.
 */
export class ClockStepWatch {
  private last: ClockSample;

  constructor(
    private readonly clock: Clock,
    private readonly thresholdMs: number,
    private readonly onStep: (step: ClockStep) => void,
  ) {
    this.last = this.sample();
  }

  check(): void {
    const next = this.sample();
    const step = detectClockStep(this.last, next, this.thresholdMs);
    this.last = next;
    if (step) this.onStep(step);
  }

  private sample(): ClockSample {
    return { wallMs: this.clock.wallMs(), monotonicMs: this.clock.monotonicMs() };
  }
}
