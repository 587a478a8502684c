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
