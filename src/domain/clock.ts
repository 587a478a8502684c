/**
 * Time as the domain sees it. Wall time (ms since the epoch) is for records and schedules;
 * monotonic time (ms from an arbitrary origin) is for every timer, because a Pi has no
 * real-time clock and NTP may step the wall clock at any moment.
 */
export interface Clock {
  wallMs(): number;
  monotonicMs(): number;
}

/**
 * What a record needs besides the time: whether the wall clock was synchronised when it was
 * taken, and which boot the monotonic time belongs to (it restarts from zero at each boot).
 */
export interface RecordingClock extends Clock {
  wallSynced(): boolean;
  bootId(): string;
}
