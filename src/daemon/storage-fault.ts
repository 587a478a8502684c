import type { StorageAlarmType } from '../domain/cabinet-state.js';

/**
 * Which storage alarm a failed commit raises, from SQLite's error code (better-sqlite3 gives the
 * extended code: `SQLITE_IOERR_WRITE`, `SQLITE_READONLY_DBMOVED`, …). Null for an error that
 * did not come from SQLite: a bug in a step is not the disk's fault and must not say so.
 */
export function storageAlarmOf(err: unknown): StorageAlarmType | null {
  const code = sqliteCode(err);
  if (code === null) return null;
  if (code === 'SQLITE_FULL') return 'storage.full';
  if (code.startsWith('SQLITE_READONLY')) return 'storage.readonly';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'storage.corrupt';
  // I/O errors, a lock held too long (SQLITE_BUSY past the busy timeout), and the rest.
  return 'storage.failed';
}

/** SQLite's error code, or null when the error is not SQLite's. */
export function sqliteCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}
