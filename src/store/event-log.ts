import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../domain/clock.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';
import { applyProjections } from './projections.js';

/**
 * The append-only event log, which is also the MQTT outbox. `append` gives each event its id,
 * sequence number and time, writes the exact JSON that will be published, and updates the
 * projections (open loans) in the same transaction, so a record and its consequences are
 * committed together or not at all.
 */
export class EventLog {
  private readonly nextSeq: Statement;
  private readonly insert: Statement;
  private readonly unsentStmt: Statement;
  private readonly markStmt: Statement;
  private readonly depthStmt: Statement;
  private readonly recentStmt: Statement;
  private readonly lastSeqStmt: Statement;

  constructor(
    private readonly db: Database,
    private readonly cabinetId: string,
    private readonly clock: Clock,
  ) {
    this.nextSeq = db.prepare(
      `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
                  coalesce((SELECT max(seq) FROM events), 0)) + 1 AS seq`,
    );
    this.insert = db.prepare(
      'INSERT INTO events (seq, id, type, time, payload) VALUES (@seq, @id, @type, @time, @payload)',
    );
    this.unsentStmt = db.prepare(
      'SELECT seq, payload FROM events WHERE published_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.markStmt = db.prepare(
      'UPDATE events SET published_at = ? WHERE seq = ? AND published_at IS NULL',
    );
    this.depthStmt = db.prepare('SELECT count(*) AS n FROM events WHERE published_at IS NULL');
    this.recentStmt = db.prepare('SELECT payload FROM events ORDER BY seq DESC LIMIT ?');
    this.lastSeqStmt = db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events');
  }

  /** Commits the events (and their projections) in one immediate transaction. */
  append(events: readonly NewEvent[]): RecordedEvent[] {
    if (events.length === 0) return [];
    return this.db.transaction(() => this.appendInTransaction(events)).immediate();
  }

  /** For callers that already hold a transaction (custodian changes written with their event). */
  appendInTransaction(events: readonly NewEvent[]): RecordedEvent[] {
    const time = new Date(this.clock.wallMs()).toISOString();
    let seq = (this.nextSeq.get() as { seq: number }).seq;
    return events.map((event) => {
      const recorded: RecordedEvent = {
        id: randomUUID(),
        seq: seq++,
        cabinetId: this.cabinetId,
        type: event.type,
        time,
        data: event.data,
      };
      this.insert.run({
        seq: recorded.seq,
        id: recorded.id,
        type: recorded.type,
        time,
        payload: JSON.stringify(recorded),
      });
      applyProjections(this.db, recorded);
      return recorded;
    });
  }

  /** Unpublished events after `afterSeq`, oldest first, at most `limit`: the outbox, in pages. */
  unsent(afterSeq: number, limit: number): Array<{ seq: number; payload: string }> {
    return this.unsentStmt.all(afterSeq, limit) as Array<{ seq: number; payload: string }>;
  }

  markPublished(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const at = new Date(this.clock.wallMs()).toISOString();
    this.db.transaction(() => {
      for (const seq of seqs) this.markStmt.run(at, seq);
    })();
  }

  depth(): number {
    return (this.depthStmt.get() as { n: number }).n;
  }

  lastSeq(): number {
    return (this.lastSeqStmt.get() as { seq: number }).seq;
  }

  recent(limit: number): RecordedEvent[] {
    return (this.recentStmt.all(limit) as Array<{ payload: string }>)
      .map((row) => JSON.parse(row.payload) as RecordedEvent)
      .reverse();
  }
}
