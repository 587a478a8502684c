import type { Database } from 'better-sqlite3';

/** Whether any holder was ever added: the demo seeds only an empty cabinet. */
export function hasAnyHolder(db: Database): boolean {
  return db.prepare('SELECT 1 FROM holders LIMIT 1').get() !== undefined;
}

/** Where each key that is not out on loan hangs: the simulator's cabinet at power-up. */
export function keysAtHome(db: Database): Map<number, string> {
  const rows = db
    .prepare(
      `SELECT home_slot AS slot, tag FROM keys
        WHERE tag IS NOT NULL AND home_slot IS NOT NULL
          AND id NOT IN (SELECT key_id FROM loans WHERE returned_at IS NULL)`,
    )
    .all() as Array<{ slot: number; tag: string }>;
  return new Map(rows.map((r) => [r.slot, r.tag]));
}
