/**
 * At most `running` password hashes at once, and at most `waiting` more in line: each takes
 * 64 MiB and a core for a fifth of a second, and a flood of sign-ins must not take the Pi's
 * memory or the libuv threads that the daemon's own file and crypto work needs. A request past
 * the line is refused at once ("busy") rather than queued without end.
 */
export class HashSlots {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly running = 2,
    private readonly waiting = 32,
  ) {}

  /**
   * Runs `work` in a slot; null when the line is full. `first`: the front of the line, even a
   * full one, for a caller a flood of others must not shut out (an account's owner, from an
   * address it signed in from): few, as the caller decides.
   */
  async run<T>(work: () => Promise<T>, first = false): Promise<T | null> {
    if (this.active >= this.running) {
      if (!first && this.queue.length >= this.waiting) return null;
      await new Promise<void>((resolve) =>
        first ? this.queue.unshift(resolve) : this.queue.push(resolve),
      );
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
