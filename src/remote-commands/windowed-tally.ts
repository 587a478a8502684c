/**
 * Counts repeated occurrences of one kind of thing so that a flood of them costs one report per
 * window instead of one each. The first of a kind is reported in full at once (the caller does,
 * when `add` returns true); the ones after it are only counted, and at the end of each window a
 * kind that counted more is summarised once with its last occurrence. A kind that keeps coming
 * keeps its window open, so a steady flood makes one summary per window; a kind that stopped is
 * forgotten at the next window's end. Memory is one entry per kind, which the caller bounds by
 * choosing keys from a small set.
 */
export class WindowedTally<T> {
  private readonly windows = new Map<string, { last: T; more: number }>();
  private timer: NodeJS.Timeout | undefined;

  /** `windowMs` 0 counts nothing: every occurrence is reported in full. */
  constructor(
    private readonly windowMs: number,
    private readonly summarise: (last: T, more: number) => void,
  ) {}

  /** True when `item` is the first of its kind in the window: report it now. */
  add(kind: string, item: T): boolean {
    if (this.windowMs === 0) return true;
    const open = this.windows.get(kind);
    if (open) {
      open.more += 1;
      open.last = item;
      return false;
    }
    this.windows.set(kind, { last: item, more: 0 });
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.endWindow(), this.windowMs);
      // Never what keeps the daemon alive: its services stop it.
      this.timer.unref();
    }
    return true;
  }

  /** Summarises what was counted and forgets every kind (at shutdown). */
  flush(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    const open = [...this.windows.values()];
    this.windows.clear();
    for (const { last, more } of open) if (more > 0) this.summarise(last, more);
  }

  private endWindow(): void {
    for (const [kind, window] of this.windows) {
      if (window.more === 0) {
        this.windows.delete(kind);
        continue;
      }
      const { last, more } = window;
      window.more = 0;
      this.summarise(last, more);
    }
    if (this.windows.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
