import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../../domain/events.js';
import { cachedStatement, inTransaction } from '../statement-cache.js';

/**
 * The events recorded after `afterSeq`, oldest first, at most `limit`, and the latest seq of the
 * log: a live page's feed, read by `seq` (the primary key) so a poll costs the same whatever the
 * log's length. A first `events[0].seq` above `afterSeq + 1` means the ones between were pruned.
 */
export function eventsAfter(
  db: Database,
  afterSeq: number,
  limit: number,
): { events: RecordedEvent[]; latestSeq: number } {
  return inTransaction(db, 'deferred', () => {
    const rows = cachedStatement(
      db,
      'SELECT payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    ).all(afterSeq, limit) as Array<{ payload: string }>;
    const { seq } = cachedStatement(
      db,
      'SELECT coalesce(max(seq), 0) AS seq FROM events',
    ).get() as { seq: number };
    return { events: rows.map((r) => JSON.parse(r.payload) as RecordedEvent), latestSeq: seq };
  });
}
