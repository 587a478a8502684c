import BetterSqlite3 from 'better-sqlite3';
import type { RecordedEvent } from '../../src/domain/events.js';

/** Every event a cabinet database holds, in sequence order, as it was published. */
export function recordedEvents(database: string): RecordedEvent[] {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return (
      db.prepare('SELECT payload FROM events ORDER BY seq').all() as Array<{ payload: string }>
    ).map((r) => JSON.parse(r.payload) as RecordedEvent);
  } finally {
    db.close();
  }
}

export function integrityCheck(database: string): string {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** How many events of each type the database holds. */
export function eventCounts(database: string): Record<string, number> {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    const rows = db.prepare('SELECT type, count(*) AS n FROM events GROUP BY type').all() as Array<{
      type: string;
      n: number;
    }>;
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  } finally {
    db.close();
  }
}

/** The events after `afterSeq`, optionally of one type, in sequence order. */
export function eventsSince(database: string, afterSeq: number, type?: string): RecordedEvent[] {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    const rows = (
      type
        ? db
            .prepare('SELECT payload FROM events WHERE seq > ? AND type = ? ORDER BY seq')
            .all(afterSeq, type)
        : db.prepare('SELECT payload FROM events WHERE seq > ? ORDER BY seq').all(afterSeq)
    ) as Array<{ payload: string }>;
    return rows.map((r) => JSON.parse(r.payload) as RecordedEvent);
  } finally {
    db.close();
  }
}
