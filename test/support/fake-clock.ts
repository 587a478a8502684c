import type { RecordingClock } from '../../src/domain/clock.js';

/** A clock the test moves by hand. Wall and monotonic time advance together unless stepped. */
export class FakeClock implements RecordingClock {
  private mono = 1_000;
  synced = true;
  constructor(private wall = Date.parse('2026-11-24T09:00:00Z')) {}
  wallMs(): number {
    return this.wall;
  }
  monotonicMs(): number {
    return this.mono;
  }
  wallSynced(): boolean {
    return this.synced;
  }
  bootId(): string {
    return 'test-boot';
  }
  advance(ms: number): void {
    this.mono += ms;
    this.wall += ms;
  }
  /** NTP stepping the wall clock: monotonic time does not move. */
  stepWall(ms: number): void {
    this.wall += ms;
  }
}
