import type { RecordingClock } from '../domain/clock.js';

/**
 * The wall clock as the daemon decides with it: never earlier than the latest time it has seen.
 *
 * A Pi has no real-time clock and NTP is not authenticated, so the wall clock can be set back
 * by a power cut (the clock restarts from the last saved time), by an operator, or by whoever
 * answers NTP. Validity ends, schedules, command expiry and pruning all compare with the wall
 * clock: set back a week, it would revive a contractor whose badge expired and accept a signed
 * command that expired days ago. This clock returns max(wall, floor), where the floor is the
 * latest wall time returned so far, persisted across restarts (clock-floor-file.ts); after a
 * step back, time stands still for the decisions until the wall clock catches up.
 *
 * Timers never use it: they run on the monotonic clock, which no one can set.
 */
export class FlooredClock implements RecordingClock {
  private floor = -Infinity;

  constructor(
    /** The wall clock as it is, for what must see its steps (the clock-step watch). */
    readonly raw: RecordingClock,
  ) {}

  wallMs(): number {
    const wall = this.raw.wallMs();
    if (wall > this.floor) this.floor = wall;
    return this.floor;
  }

  monotonicMs(): number {
    return this.raw.monotonicMs();
  }

  bootId(): string {
    return this.raw.bootId();
  }

  /** A time held at the floor is not the synchronised wall time, and records say so. */
  wallSynced(): boolean {
    return this.raw.wallSynced() && this.raw.wallMs() >= this.floor;
  }

  /** The latest wall time seen (-Infinity before the first). */
  floorMs(): number {
    return this.floor;
  }

  /** How far the wall clock is behind the floor now; 0 when it is not. */
  behindMs(): number {
    return Math.max(0, this.floor - this.raw.wallMs());
  }

  /** Raises the floor (a time seen before this process started); never lowers it. */
  raiseTo(ms: number): void {
    if (ms > this.floor) this.floor = ms;
  }
}

/** The clock whose steps are real: the raw wall clock under a floored one. */
export function unflooredClock(clock: RecordingClock): RecordingClock {
  return clock instanceof FlooredClock ? clock.raw : clock;
}
