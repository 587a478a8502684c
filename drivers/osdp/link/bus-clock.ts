import type { BusClock } from './bus-api.js';

/** The process's monotonic clock and timers: what a bus runs on outside the tests. */
export const systemBusClock: BusClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
