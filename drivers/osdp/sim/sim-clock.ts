/**
 * The time a simulated reader runs on: its reply delay, its LED and buzzer timers, the pause
 * that ends a half-received frame. The same shape as the bus's clock, so a test hands both one
 * fake clock and moves them together.
 */
export interface SimClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's own monotonic clock and timers. */
export const systemClock: SimClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
