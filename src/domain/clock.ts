/**
 * Time as the domain sees it. Wall time (ms since the epoch) is for records and schedules;
 * monotonic time (ms from an arbitrary origin) is for every timer, because a Pi has no
 * real-time clock and NTP may step the wall clock at any moment.
 */
export interface Clock {
  wallMs(): number;
  monotonicMs(): number;
}

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};
