import type { Database, Statement } from 'better-sqlite3';
import { eventHash, GENESIS_HASH } from '../contract/event-chain.js';
import type { RecordingClock } from '../domain/clock.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';
import { eventId } from './event-id.js';
import { fillEventFilters, filtersBehind } from './event-filters.js';
import { applyProjections } from './projections.js';
import { inTransaction } from './statement-cache.js';

export type AckResult = 'acknowledged' | 'stale' | 'ahead';

/**
 * The append-only event log, which is also the MQTT outbox. `append` gives each event its id,
 * sequence number, times and place in the hash chain, writes the exact JSON that will be
 * published, and updates the projections (open loans) in the same transaction, so a record and
 * its consequences are committed together or not at all.
 */
export class EventLog {
  private readonly stmts: Record<
    | 'head'
    | 'insert'
    | 'unsent'
    | 'mark'
    | 'depth'
    | 'recent'
    | 'lastSeq'
    | 'acked'
    | 'ack'
    | 'requeue'
    | 'firstSeq'
    | 'prune',
    Statement
  >;

  constructor(
    private readonly db: Database,
    private readonly cabinetId: string,
    private readonly clock: RecordingClock,
  ) {
    this.stmts = {
      // The newest event: the next seq follows it and the chain continues from its hash. The
      // newest is never deleted (the pruning trigger, migration 002), so max(seq) + 1 is a
      // number never used before: no AUTOINCREMENT bookkeeping needed (migration 011).
      head: db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO events (seq, id, type, time, payload, hash) VALUES (@seq, @id, @type, @time, @payload, @hash)',
      ),
      unsent: db.prepare(
        'SELECT seq, type, payload FROM events WHERE published_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
      ),
      mark: db.prepare('UPDATE events SET published_at = ? WHERE seq = ? AND published_at IS NULL'),
      depth: db.prepare('SELECT count(*) AS n FROM events WHERE published_at IS NULL'),
      recent: db.prepare('SELECT payload FROM events ORDER BY seq DESC LIMIT ?'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events'),
      acked: db.prepare('SELECT acked_seq AS seq FROM delivery_state WHERE id = 1'),
      ack: db.prepare('UPDATE delivery_state SET acked_seq = ?, acked_at = ? WHERE id = 1'),
      requeue: db.prepare('UPDATE events SET published_at = NULL WHERE seq >= ?'),
      firstSeq: db.prepare('SELECT coalesce(min(seq), 0) AS seq FROM events'),
      prune: db.prepare(
        `DELETE FROM events WHERE seq IN (
           SELECT seq FROM events WHERE seq <= ? AND time < ? AND seq < (SELECT max(seq) FROM events)
           ORDER BY seq LIMIT ?)`,
      ),
    };
  }

  /** Commits the events (and their projections) in one immediate transaction. */
  append(events: readonly NewEvent[]): RecordedEvent[] {
    if (events.length === 0) return [];
    return inTransaction(this.db, 'immediate', () => this.appendInTransaction(events));
  }

  /** Runs `body` in one immediate transaction: reads see one snapshot, writes commit together. */
  transaction<T>(body: () => T): T {
    return inTransaction(this.db, 'immediate', body);
  }

  /** For callers that already hold a transaction (custodian changes written with their event). */
  appendInTransaction(events: readonly NewEvent[]): RecordedEvent[] {
    const wallMs = this.clock.wallMs();
    const time = new Date(wallMs).toISOString();
    const clockSynced = this.clock.wallSynced();
    const monotonicMs = Math.floor(this.clock.monotonicMs());
    const bootId = this.clock.bootId();
    const head = this.stmts.head.get() as { seq: number; hash: string | null } | undefined;
    let seq = (head?.seq ?? 0) + 1;
    let prevHash = head?.hash ?? GENESIS_HASH;
    return events.map((event) => {
      const unhashed = {
        id: eventId(wallMs),
        seq: seq++,
        cabinetId: this.cabinetId,
        type: event.type,
        time,
        clockSynced,
        monotonicMs,
        bootId,
        prevHash,
        data: event.data,
      };
      const recorded: RecordedEvent = { ...unhashed, hash: eventHash(unhashed) };
      this.stmts.insert.run({
        seq: recorded.seq,
        id: recorded.id,
        type: recorded.type,
        time,
        payload: JSON.stringify(recorded),
        hash: recorded.hash,
      });
      applyProjections(this.db, recorded);
      prevHash = recorded.hash;
      return recorded;
    });
  }

  /**
   * Adds up to `limit` events to the console's search filters (migration 014), after their own
   * commit; returns how many. Kept out of `append` so a badge's commit writes only its event.
   */
  fillSearchFilters(limit: number): number {
    return fillEventFilters(this.db, limit);
  }

  /** Whether events were recorded since the search filters' last fill (a read, no lock). */
  searchFiltersBehind(): boolean {
    return filtersBehind(this.db);
  }

  /** Unpublished events after `afterSeq`, oldest first, at most `limit`: the outbox, in pages. */
  unsent(afterSeq: number, limit: number): Array<{ seq: number; type: string; payload: string }> {
    return this.stmts.unsent.all(afterSeq, limit) as Array<{
      seq: number;
      type: string;
      payload: string;
    }>;
  }

  markPublished(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const at = new Date(this.clock.wallMs()).toISOString();
    inTransaction(this.db, 'deferred', () => {
      for (const seq of seqs) this.stmts.mark.run(at, seq);
    });
  }

  /** Events not yet acknowledged by the broker. */
  depth(): number {
    return (this.stmts.depth.get() as { n: number }).n;
  }

  lastSeq(): number {
    return (this.stmts.lastSeq.get() as { seq: number }).seq;
  }

  /** The oldest event still held (0 when none): a replay cannot start before it. */
  firstSeq(): number {
    return (this.stmts.firstSeq.get() as { seq: number }).seq;
  }

  /** The highest sequence number the central server holds without gaps. */
  ackedSeq(): number {
    return (this.stmts.acked.get() as { seq: number }).seq;
  }

  /** Events the central server has not confirmed: what a full disk would cost. */
  unacknowledged(): number {
    return this.lastSeq() - this.ackedSeq();
  }

  /**
   * Records the central server's acknowledgement. It only moves forward, and never past what
   * was recorded (an acknowledgement of the future is a server bug, and would allow pruning
   * events the server does not hold).
   */
  acknowledge(seq: number): AckResult {
    return this.transaction(() => {
      if (seq > this.lastSeq()) return 'ahead';
      if (seq <= this.ackedSeq()) return 'stale';
      this.stmts.ack.run(seq, new Date(this.clock.wallMs()).toISOString());
      return 'acknowledged';
    });
  }

  /** Puts every event from `fromSeq` back in the outbox, so they are published again in order. */
  requeueFrom(fromSeq: number): number {
    return this.transaction(() => this.stmts.requeue.run(fromSeq).changes);
  }

  /**
   * Deletes acknowledged events recorded before `olderThanMs` (wall time), at most `batch` at a
   * time so a large prune never holds the database for long. Returns how many went.
   */
  prune(olderThanMs: number, batch = 5_000): number {
    const before = new Date(olderThanMs).toISOString();
    return this.transaction(() => this.stmts.prune.run(this.ackedSeq(), before, batch).changes);
  }

  recent(limit: number): RecordedEvent[] {
    return (this.stmts.recent.all(limit) as Array<{ payload: string }>)
      .map((row) => JSON.parse(row.payload) as RecordedEvent)
      .reverse();
  }
}
