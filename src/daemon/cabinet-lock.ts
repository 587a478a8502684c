import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { KeywardenError } from '../errors.js';
import { giveToOwner } from '../maintenance/file-owner.js';

/**
 * One daemon per cabinet. Two daemons on one database would both record, both drive the same
 * outputs and both connect with the same MQTT client id, so the second must refuse to start.
 *
 * The lock is a POSIX (fcntl) lock that SQLite takes on a small separate file next to the
 * database (`<database>.lock`): an exclusive transaction is begun on it and kept open for the
 * daemon's life. The kernel drops fcntl locks when their process dies, SIGKILL included, so a
 * crashed daemon never leaves a lock that blocks its restart, and nobody has to guess from a
 * pid whether the holder is still alive. The database itself is not locked: the custodian CLI
 * keeps working beside the daemon.
 *
 * Who holds the lock is written to a sidecar (`<database>.owner`) once the lock is taken, only
 * to name the holder in the refusal. It is read only while the lock is held by someone else, so
 * a sidecar left by a killed daemon is never believed; it is overwritten by the next owner.
 */
export interface CabinetLock {
  /** The database the lock guards. */
  readonly database: string;
  /** The lock file, or undefined for an in-memory database (nothing to share). */
  readonly file: string | undefined;
  /** Ends the exclusive transaction and closes the file. Safe to call more than once. */
  release(): void;
}

/** What the sidecar says about the process holding the cabinet. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO 8601 instant the lock was taken. */
  since: string;
  database: string;
}

export const lockFileOf = (database: string): string => `${database}.lock`;
export const ownerFileOf = (database: string): string => `${database}.owner`;

/**
 * Takes the cabinet's lock or throws CABINET_IN_USE naming the holder and the database. Cheap
 * (one file, no schema, no waiting): it runs first at start-up, before any output is touched,
 * so a refused second daemon leaves the first one's outputs, database and broker session alone.
 */
export function acquireCabinetLock(
  database: string,
  now: () => Date = () => new Date(),
): CabinetLock {
  if (database === ':memory:') return { database, file: undefined, release: () => undefined };
  const file = lockFileOf(database);
  mkdirSync(dirname(file), { recursive: true });
  // SQLite would follow a link planted there (as root, to any file): never a lock file.
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
    throw new KeywardenError(
      'CABINET_LOCK_FAILED',
      `${file}: the cabinet lock file is a symbolic link; move it away`,
    );
  }
  let db: Database;
  try {
    // No busy timeout (better-sqlite3 waits 5 s by default): a held lock is an answer, not
    // something to wait for.
    db = new BetterSqlite3(file, { timeout: 0 });
  } catch (error) {
    throw new KeywardenError(
      'CABINET_LOCK_FAILED',
      `${file}: cannot open the cabinet lock file: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    // In a rollback-journal mode, BEGIN EXCLUSIVE takes the exclusive fcntl lock at once,
    // without writing anything. MEMORY: nothing is ever written, so no -journal file either.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw inUse(database, file, readOwner(database));
    throw new KeywardenError(
      'CABINET_LOCK_FAILED',
      `${file}: cannot take the cabinet lock (${(error as Error).message}); if this file is not Keywarden's, move it away`,
      { cause: error },
    );
  }
  writeOwner(database, {
    pid: process.pid,
    host: hostname(),
    since: now().toISOString(),
    database,
  });
  let held = true;
  return {
    database,
    file,
    release() {
      if (!held) return;
      held = false;
      // The sidecar stays: removing it here could remove the next owner's.
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/**
 * The lock taken by a maintenance command (`restore`, `osdp status|comset`), which the
 * installer may run as root before the daemon ever ran: a lock file it creates is given to the
 * database's owner (or its directory's), or the daemon, not root, could not open it afterwards.
 */
export function acquireMaintenanceLock(database: string): CabinetLock {
  const file = lockFileOf(database);
  const existed =
    database === ':memory:' || lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  const lock = acquireCabinetLock(database);
  if (!existed) {
    try {
      giveToOwner(file, statSync(existsSync(database) ? database : dirname(database)));
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  return lock;
}

/** The holder as its sidecar names it, or undefined when missing or unreadable. */
export function readOwner(database: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(ownerFileOf(database), 'utf8')) as unknown;
    return isLockOwner(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Best effort: the lock is what keeps a second daemon out; without the sidecar (a full disk) the
 * refusal only says less about the holder.
 */
function writeOwner(database: string, owner: LockOwner): void {
  const file = ownerFileOf(database);
  // Written whole then renamed, so a reader never sees half a sidecar.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // Never through a name someone else made (as root, a planted link would be followed).
    const fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      writeSync(fd, `${JSON.stringify(owner)}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}

function inUse(database: string, file: string, owner: LockOwner | undefined): KeywardenError {
  // Quoted: the sidecar is a file anyone with write access to the directory could have edited.
  const holder = owner
    ? `process ${owner.pid} on host ${JSON.stringify(owner.host)}, since ${JSON.stringify(owner.since)}`
    : `another process (its ${ownerFileOf(database)} is missing or unreadable)`;
  return new KeywardenError(
    'CABINET_IN_USE',
    `the cabinet is already run by ${holder}: database ${database} (lock ${file}). ` +
      'Only one daemon may run per cabinet; stop that one first. The custodian commands work beside it.',
  );
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function isLockOwner(value: unknown): value is LockOwner {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isInteger(v.pid) &&
    typeof v.host === 'string' &&
    typeof v.since === 'string' &&
    typeof v.database === 'string'
  );
}
