import type { RecordingClock } from '../../src/domain/clock.js';

/**
 * The real clocks, with a wall clock the test can step as NTP or an operator would, without
 * touching the machine's clock: wall = Date.now() + offset; monotonic time is the process's.
 */
export class JumpingClock implements RecordingClock {
  private offsetMs = 0;

  wallMs(): number {
    return Date.now() + this.offsetMs;
  }
  monotonicMs(): number {
    return Number(process.hrtime.bigint() / 1000n) / 1000;
  }
  wallSynced(): boolean {
    return true;
  }
  bootId(): string {
    return 'jumping-clock';
  }
  jump(ms: number): void {
    this.offsetMs += ms;
  }
}
