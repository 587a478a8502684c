/**
 * Lets one log line through per interval and counts the ones held back. A reader on the
 * wrong baud rate or with a dirty antenna produces garbage many times a second; logging each
 * would flood the journal and wear the SD card, while the events themselves still flow.
 */
export class LogThrottle {
  private lastAllowedAt: number | null = null;
  private held = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** The number of lines held back since the last one, if this one may be logged; else null. */
  take(): number | null {
    const at = this.now();
    if (this.lastAllowedAt !== null && at - this.lastAllowedAt < this.intervalMs) {
      this.held += 1;
      return null;
    }
    const suppressed = this.held;
    this.lastAllowedAt = at;
    this.held = 0;
    return suppressed;
  }
}
