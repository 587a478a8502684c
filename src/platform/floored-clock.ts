import type { RecordingClock } from '../domain/clock.js';

/**
 * The wall clock as the daemon decides with it: never earlier than a time it has provably
 * passed.
 *
 * A Pi has no real-time clock and NTP is not authenticated, so the wall clock can be set back
 * by a power cut (the clock restarts from the last saved time), by an operator, or by whoever
 * answers NTP. Validity ends, schedules, command expiry and pruning all compare with the wall
 * clock: set back a week, it would revive a contractor whose badge expired and accept a signed
 * command that expired days ago. This clock returns max(wall, floor).
 *
 * The floor is the wall clock read once, when this process started (or the floor saved by an
 * earlier run, if later: clock-floor-file.ts), moved on by the monotonic clock, which no one
 * can set. So a step back holds decisions at a time that still advances, and a step forward
 * (a forged NTP answer saying 2099) is used only while it lasts: once the wall clock is put
 * right, decisions follow it again, and what is saved for the next start is the floor, never
 * the forged time. Linux slews CLOCK_MONOTONIC with the wall clock, so the two keep pace.
 *
 * Timers never use it: they run on the monotonic clock.
 */
export class FlooredClock implements RecordingClock {
  private baseMs: number;
  private readonly startedMonoMs: number;

  constructor(
    /** The wall clock as it is, for what must see its steps (the clock-step watch). */
    readonly raw: RecordingClock,
  ) {
    this.baseMs = raw.wallMs();
    this.startedMonoMs = raw.monotonicMs();
  }

  wallMs(): number {
    const wall = this.raw.wallMs();
    const floor = this.floorMs();
    // The floor is the start's wall time carried on by the monotonic clock, and the two clocks
    // tick apart (a fraction of a millisecond at each reading, NTP's slewing over hours): the
    // floor follows a wall clock a little ahead of it, so a step back later holds at the latest
    // time handed out, not a millisecond under it. A step further ahead is not followed: a
    // forged time must not outlive its correction.
    if (wall > floor && wall - floor <= FOLLOW_MS) this.raiseTo(wall);
    return Math.max(wall, floor);
  }

  monotonicMs(): number {
    return this.raw.monotonicMs();
  }

  bootId(): string {
    return this.raw.bootId();
  }

  /** A time held at the floor is not the synchronised wall time, and records say so. */
  wallSynced(): boolean {
    return this.raw.wallSynced() && this.raw.wallMs() >= this.floorMs() - SLACK_MS;
  }

  /** The latest time this cabinet has provably passed: what is saved for the next start. */
  floorMs(): number {
    return Math.floor(this.baseMs + (this.raw.monotonicMs() - this.startedMonoMs));
  }

  /** How far the wall clock is behind the floor now; 0 when it is not. */
  behindMs(): number {
    return Math.max(0, this.floorMs() - this.raw.wallMs());
  }

  /** Raises the floor to a time an earlier run had passed; never lowers it. */
  raiseTo(ms: number): void {
    const now = this.floorMs();
    if (ms > now) this.baseMs += ms - now;
  }
}

/** A wall clock this little behind the floor still counts as synchronised (read jitter). */
const SLACK_MS = 1_000;
/** How far ahead of the floor a wall time may be for the floor to follow it. */
const FOLLOW_MS = 100;

/** The clock whose steps are real: the raw wall clock under a floored one. */
export function unflooredClock(clock: RecordingClock): RecordingClock {
  return clock instanceof FlooredClock ? clock.raw : clock;
}
