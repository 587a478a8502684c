import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { lockFileOf, readOwner, type LockOwner } from '../daemon/cabinet-lock.js';

export type DaemonState =
  | { running: false }
  | { running: true; owner: LockOwner | undefined }
  | { running: 'unknown'; reason: string };

/**
 * Whether a daemon holds the cabinet's lock (src/daemon/cabinet-lock.ts), found without taking
 * it: the daemon keeps an exclusive lock on `<database>.lock` for its life, so a read on that
 * file is refused while it runs. Taking the lock instead, as root, would create the lock file
 * owned by root when it does not exist yet, and the daemon's user could then never take it.
 */
export function probeDaemon(database: string): DaemonState {
  if (database === ':memory:') return { running: 'unknown', reason: 'the database is in memory' };
  const file = lockFileOf(database);
  // A daemon creates the file before it takes the lock: none, and no daemon ever ran here.
  if (!existsSync(file)) return { running: false };
  let db;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 0 });
  } catch (error) {
    return { running: 'unknown', reason: `${file}: ${(error as Error).message}` };
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return { running: false };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      return { running: true, owner: readOwner(database) };
    }
    return { running: 'unknown', reason: `${file}: ${(error as Error).message}` };
  } finally {
    db.close();
  }
}

/** "process 123 on host "pi", since …", or what is known when the sidecar is missing. */
export function describeOwner(owner: LockOwner | undefined): string {
  return owner
    ? `process ${owner.pid} on host ${JSON.stringify(owner.host)} since ${JSON.stringify(owner.since)}`
    : 'a process whose owner file is missing';
}
