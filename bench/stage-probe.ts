import type { CabinetRunner } from '../src/daemon/cabinet-runner.js';
import type { EventLog } from '../src/store/event-log.js';

/** Instants (performance.now() ms) inside the daemon's handling of the latest badge. */
export interface StageTimes {
  /** The badge reached the cabinet runner: bytes read, parsed and debounced. */
  handled: number;
  /** The step has decided and its records start being written. */
  commitStart: number;
  /** The records are committed (SQLite transaction, fsync'd); outputs come next. */
  commitEnd: number;
}

type Mutable = { -readonly [K in keyof StageTimes]: number };

/**
 * Splits the badge latency into stages without touching the daemon's code, by wrapping public
 * methods of the running instances: `CabinetRunner.handleBadge` and `handle` (where a badge
 * enters the cabinet flow), `EventLog.appendInTransaction` (where the step's records start
 * being written) and `EventLog.transaction` / `EventLog.append` (whose return is the commit). The runner runs the
 * whole step in one immediate transaction (`log.transaction`: policy reads, decision, records)
 * and drives outputs only after it commits, so it never calls `append` itself; `append` is
 * wrapped too so that a commit made that way is still seen. Costs a few clock reads per input.
 */
export class StageProbe {
  private current: Mutable | null = null;
  /** The badge's records are being written; the next commit to return ends its stage. */
  private writing = false;
  private readonly restore: Array<() => void> = [];

  constructor(runner: CabinetRunner, log: EventLog) {
    const entered = () => {
      this.current = { handled: performance.now(), commitStart: NaN, commitEnd: NaN };
      this.writing = false;
    };
    // The reader hands a card to `handleBadge`; `handle` takes a badge too (after an enrolment
    // request that went away, and from anything else that presents one).
    const handle = runner.handle.bind(runner);
    runner.handle = (input, inTransaction) => {
      if (input.kind === 'badge') entered();
      return handle(input, inTransaction);
    };
    const handleBadge = runner.handleBadge.bind(runner);
    runner.handleBadge = (card, wantedElsewhere) => {
      entered();
      return handleBadge(card, wantedElsewhere);
    };
    const appendInTransaction = log.appendInTransaction.bind(log);
    log.appendInTransaction = (events) => {
      const current = this.current;
      // The first records written after the badge entered are the badge step's own.
      if (current && events.length > 0 && Number.isNaN(current.commitStart)) {
        current.commitStart = performance.now();
        this.writing = true;
      }
      return appendInTransaction(events);
    };
    const transaction = log.transaction.bind(log);
    log.transaction = <T>(body: () => T): T => {
      const result = transaction(body);
      this.committed();
      return result;
    };
    const append = log.append.bind(log);
    log.append = (events) => {
      const recorded = append(events);
      this.committed();
      return recorded;
    };
    this.restore.push(
      () => (runner.handle = handle),
      () => (runner.handleBadge = handleBadge),
      () => (log.appendInTransaction = appendInTransaction),
      () => (log.transaction = transaction),
      () => (log.append = append),
    );
  }

  /** The latest badge's stages, if it got as far as a commit; forgets them. */
  take(): StageTimes | null {
    const current = this.current;
    this.current = null;
    this.writing = false;
    return current && !Number.isNaN(current.commitEnd) ? current : null;
  }

  close(): void {
    for (const undo of this.restore) undo();
  }

  private committed(): void {
    const current = this.current;
    if (!this.writing || !current) return;
    current.commitEnd = performance.now();
    this.writing = false;
  }
}
