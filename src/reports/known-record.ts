import type { Database } from 'better-sqlite3';
import { KeywardenError } from '../errors.js';
import { recordExists, type RecordKind } from '../store/report-queries.js';

/**
 * A report about an id that was never issued must say so: "no events for key 999" would read
 * as a clean record. Retired holders and keys still exist here, with their history.
 */
export function requireRecord(db: Database, kind: RecordKind, id: number): void {
  if (!recordExists(db, kind, id)) {
    throw new KeywardenError('NOT_FOUND', `no ${kind} with id ${id}`);
  }
}
