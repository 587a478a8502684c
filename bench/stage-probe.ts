import type { CabinetRunner } from '../src/daemon/cabinet-runner.js';
import type { EventLog } from '../src/store/event-log.js';

/** Instants (performance.now() ms) inside the daemon's handling of the latest badge. */
export interface StageTimes {
  /** The badge reached the cabinet runner: bytes read, parsed and debounced. */
  handled: number;
  /** The step has decided and its records start committing. */
  commitStart: number;
  /** The records are committed (SQLite transaction, fsync'd); outputs come next. */
  commitEnd: number;
}

type Mutable = { -readonly [K in keyof StageTimes]: number };

/**
 * Splits the badge latency into stages without touching the daemon's code, by wrapping two
 * public methods of the running instances: `CabinetRunner.handle` (where a badge enters the
 * cabinet flow) and `EventLog.append` (the commit the runner makes before it drives any
 * output). Costs a few clock reads per input.
 */
export class StageProbe {
  private current: Mutable | null = null;
  private readonly restore: Array<() => void> = [];

  constructor(runner: CabinetRunner, log: EventLog) {
    const handle = runner.handle;
    runner.handle = (input) => {
      if (input.kind === 'badge') {
        this.current = { handled: performance.now(), commitStart: NaN, commitEnd: NaN };
      }
      return handle.call(runner, input);
    };
    const append = log.append;
    log.append = (events) => {
      const start = performance.now();
      const recorded = append.call(log, events);
      const current = this.current;
      // The first commit after the badge entered is the badge step's own.
      if (current && events.length > 0 && Number.isNaN(current.commitStart)) {
        current.commitStart = start;
        current.commitEnd = performance.now();
      }
      return recorded;
    };
    this.restore.push(
      () => (runner.handle = handle),
      () => (log.append = append),
    );
  }

  /** The latest badge's stages, if it got as far as a commit; forgets them. */
  take(): StageTimes | null {
    const current = this.current;
    this.current = null;
    return current && !Number.isNaN(current.commitStart) ? current : null;
  }

  close(): void {
    for (const undo of this.restore) undo();
  }
}
