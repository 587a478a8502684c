import type { BusClock } from '../../../../../drivers/osdp/link/bus-api.js';

/**
 * A bus clock the test moves by hand: `advance(ms)` runs every timer that falls due, in time
 * order (timers set by those timers included), and leaves the time at the end.
 */
export class ManualBusClock implements BusClock {
  private time = 0;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  /** Records a timer for `advance` to fire (a fake: nothing waits in real time). */
  schedule(callback: () => void, ms: number): number {
    this.nextId += 1;
    this.timers.set(this.nextId, { at: this.time + Math.max(0, ms), callback });
    return this.nextId;
  }

  readonly setTimeout: BusClock['setTimeout'] = (callback, ms) => this.schedule(callback, ms);

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (let fired = 0; ; fired += 1) {
      if (fired > 1_000_000) throw new Error('timers keep firing at the same time: a busy loop');
      let due: { id: number; at: number } | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (due === undefined || timer.at < due.at)) due = { id, at: timer.at };
      }
      if (due === undefined) break;
      const timer = this.timers.get(due.id);
      this.timers.delete(due.id);
      this.time = due.at;
      timer?.callback();
    }
    this.time = end;
  }
}
