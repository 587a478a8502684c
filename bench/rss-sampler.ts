import { residentKb } from '../test/support/process-memory.js';

/**
 * Samples another process's resident set size (VmRSS, /proc) on a timer and keeps the
 * largest and the latest reading. RSS is what the kernel charges the daemon for, heap and
 * native (SQLite's page cache, Buffers) alike, so it is the figure a Pi's memory budget cares
 * about; a heap reading alone would miss native allocations.
 */
export class RssSampler {
  maxKb = 0;
  lastKb = 0;
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs: number,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      const kb = residentKb(this.pid);
      this.lastKb = kb;
      this.maxKb = Math.max(this.maxKb, kb);
      this.samples += 1;
    } catch {
      // The process has exited: nothing more to read; the caller notices the exit itself.
    }
  }
}

export const mbOfKb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;
