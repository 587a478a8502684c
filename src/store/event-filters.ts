import type { Database } from 'better-sqlite3';
import { cachedStatement, inTransaction } from './statement-cache.js';

/**
 * The console's event-log filters (type, holder, key, time) live in `event_filters`, filled here
 * after the events are committed rather than by indexes on `events`, so that a badge's commit,
 * fsync'd before the solenoid moves, writes only the event's own pages (migration 014).
 *
 * The table always holds every event up to its newest seq and none above it: it is filled in
 * seq order, events only ever get a higher seq than any before, and pruning deletes an event's
 * row with the event. The events above that mark are read straight from `events` by the search.
 */

/** The newest seq in `event_filters` (0 when empty): every event up to it is there. */
export function filteredUpTo(db: Database): number {
  return (
    cachedStatement(db, 'SELECT coalesce(max(seq), 0) AS seq FROM event_filters').get() as {
      seq: number;
    }
  ).seq;
}

/** Whether events were recorded since the last fill: a read, no lock taken. */
export function filtersBehind(db: Database): boolean {
  const { behind } = cachedStatement(
    db,
    `SELECT (SELECT coalesce(max(seq), 0) FROM events)
          > (SELECT coalesce(max(seq), 0) FROM event_filters) AS behind`,
  ).get() as { behind: number };
  return behind === 1;
}

/**
 * Adds the oldest events not yet in `event_filters`, at most `limit` (a bounded transaction: the
 * badge path waits for none of it), in one immediate transaction. Returns how many were added;
 * `limit` of them means more may be waiting.
 */
export function fillEventFilters(db: Database, limit: number): number {
  const fill = cachedStatement(
    db,
    `INSERT INTO event_filters (seq, type, holder_id, key_id, time)
       SELECT seq, type, json_extract(payload, '$.data.holderId'),
              json_extract(payload, '$.data.keyId'), time
         FROM events
        WHERE seq > (SELECT coalesce(max(seq), 0) FROM event_filters)
        ORDER BY seq LIMIT ?`,
  );
  // Without a sync of its own: a fill lost to a power cut is a fill to redo (the search reads
  // the events above the mark from the log), and the WAL keeps commits in order, so a lost fill
  // is always the newest and the table keeps "every event up to its mark". The badge's next
  // commit, synchronous=FULL, syncs it along. Set and put back within this one synchronous
  // call: no other commit of this connection can run in between.
  const before = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    return inTransaction(db, 'immediate', () => fill.run(limit).changes);
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}
