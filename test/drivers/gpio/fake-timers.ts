import type { Timers } from '../../../drivers/gpio/solenoid-bank.js';

/**
 * Manual time. `advance` fires due timers in due-time order (ties in scheduling order), with
 * `now()` set to each timer's exact due time while it runs.
 */
export class FakeTimers implements Timers {
  private time = 0;
  private seq = 0;
  private readonly pending = new Map<number, { due: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { due: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.pending.delete(handle);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.pending) {
        if (entry[1].due <= target && (!next || entry[1].due < next[1].due)) next = entry;
      }
      if (!next) break;
      this.pending.delete(next[0]);
      this.time = next[1].due;
      next[1].fn();
    }
    this.time = target;
  }

  /** Moves the clock without firing anything: an event loop that runs its timers late. */
  stall(ms: number): void {
    this.time += ms;
  }
}
