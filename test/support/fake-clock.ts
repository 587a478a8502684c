import type { Clock } from '../../src/domain/clock.js';

/** A clock the test moves by hand. Wall and monotonic time advance together unless stepped. */
export class FakeClock implements Clock {
  private mono = 1_000;
  constructor(private wall = Date.parse('2026-11-24T09:00:00Z')) {}
  wallMs(): number {
    return this.wall;
  }
  monotonicMs(): number {
    return this.mono;
  }
  advance(ms: number): void {
    this.mono += ms;
    this.wall += ms;
  }
}
