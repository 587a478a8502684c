import type { EventLog } from '../src/store/event-log.js';

/** When the last badge's records started and finished committing (performance.now() ms). */
export interface CommitTimes {
  start: number;
  end: number;
}

/**
 * Splits the badge latency in two without touching the daemon's code: the cabinet runner
 * commits a step's records (one SQLite transaction, fsync'd) before it drives any output, so
 * timing `EventLog.append` on the running instance shows how much of t0→solenoid is the
 * commit, and how much is delivery, parsing and lookups before it and the output after it.
 * Costs two clock reads per append.
 */
export class CommitProbe {
  private last: CommitTimes | null = null;
  private readonly restore: () => void;

  constructor(log: EventLog) {
    const original = log.append;
    log.append = (events) => {
      const start = performance.now();
      const recorded = original.call(log, events);
      // Only appends that record something commit; ticks with nothing to record return early.
      if (events.length > 0) this.last = { start, end: performance.now() };
      return recorded;
    };
    this.restore = () => {
      log.append = original;
    };
  }

  /** The latest commit since the last call, if any; forgets it, so each badge sees its own. */
  take(): CommitTimes | null {
    const last = this.last;
    this.last = null;
    return last;
  }

  close(): void {
    this.restore();
  }
}
