import type { Database } from 'better-sqlite3';
import { KeywardenError } from '../errors.js';

const TABLE = { holder: 'holders', key: 'keys' } as const;

/**
 * A report about an id that was never issued must say so: "no events for key 999" would read
 * as a clean record. Retired holders and keys still exist here, with their history.
 */
export function requireRecord(db: Database, kind: keyof typeof TABLE, id: number): void {
  if (!db.prepare(`SELECT 1 FROM ${TABLE[kind]} WHERE id = ?`).get(id)) {
    throw new KeywardenError('NOT_FOUND', `no ${kind} with id ${id}`);
  }
}
