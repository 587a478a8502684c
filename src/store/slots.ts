import type { Database } from 'better-sqlite3';

/** Makes sure slots 1..count exist, so keys and permissions can refer to them. */
export function ensureSlots(db: Database, count: number): void {
  const insert = db.prepare('INSERT OR IGNORE INTO slots (number) VALUES (?)');
  db.transaction(() => {
    for (let n = 1; n <= count; n++) insert.run(n);
  })();
}
