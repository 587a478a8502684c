import type { DriverLogger } from '../logger.js';
import { LogThrottle } from './log-throttle.js';

/** At most one garbled-read warning per reader per interval; the rest are counted. */
export const GARBLED_LOG_INTERVAL_MS = 10_000;

/** Logs a reader's garbled reads at warn, throttled (see LogThrottle for why). */
export class GarbledLog {
  private readonly throttle: LogThrottle;

  constructor(
    private readonly log: DriverLogger,
    now: () => number,
  ) {
    this.throttle = new LogThrottle(GARBLED_LOG_INTERVAL_MS, now);
  }

  report(reason: string): void {
    const suppressed = this.throttle.take();
    if (suppressed !== null) this.log.warn({ reason, suppressed }, 'garbled read');
  }
}
