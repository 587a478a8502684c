import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { acquireCabinetLock, lockFileOf, type CabinetLock } from '../daemon/cabinet-lock.js';
import { isKeywardenError, KeywardenError } from '../errors.js';
import { BACKUP_TABLE } from './backup-identity.js';
import {
  assertSqliteHeader,
  inspectCopy,
  NotRestorable,
  type InspectedBackup,
} from './backup-file.js';
import { matchOwner, syncDirectory } from './file-owner.js';
import { refuseLiveFile, refuseUnlessRegularFile } from './live-files.js';

export interface RestoreOptions {
  database: string;
  cabinetId: string;
  from: string;
  /** Given explicitly: the file may come from another cabinet. */
  otherCabinet: boolean;
  now?: () => Date;
  /** Free bytes where the database lives (injected by tests). */
  freeBytes?: (dir: string) => number;
}

export interface RestoreResult {
  backup: InspectedBackup;
  /** Where the replaced database now is; undefined when there was none. */
  replacedKeptAt: string | undefined;
}

/** Room left after the copy: the daemon must still be able to record once it starts. */
const SPARE_BYTES = 64 * 1024 * 1024;

/**
 * Puts a backup in the database's place, with the daemon stopped: the cabinet's lock is taken
 * and held throughout, so a daemon started meanwhile is refused rather than opening a file
 * being replaced. The backup is copied beside the database first and every check runs on the
 * copy; the replaced database (with its -wal, whose commits it may still need) is renamed
 * aside, never deleted; then the checked copy is renamed into place.
 */
export function restoreDatabase(options: RestoreOptions): RestoreResult {
  const { database, from } = options;
  if (database === ':memory:') {
    throw new KeywardenError(
      'USAGE',
      'the database is in memory (demo): there is nothing to restore into',
    );
  }
  if (!existsSync(from)) throw new KeywardenError('USAGE', `--from ${from}: no such file`);
  refuseLiveFile(from, database, '--from');
  refuseUnlessRegularFile(from, '--from');
  const lockExisted = existsSync(lockFileOf(database));
  let lock: CabinetLock;
  try {
    lock = acquireCabinetLock(database);
  } catch (error) {
    if (isKeywardenError(error, 'CABINET_IN_USE')) {
      throw new Error(
        `refused: the daemon is running (${error.message.replace(/\.? Only one daemon.*$/s, '')}). ` +
          'Stop it first: sudo systemctl stop keywarden',
        { cause: error },
      );
    }
    throw error;
  }
  const dir = dirname(database);
  const owner = statSync(existsSync(database) ? database : dir);
  const temporary = `${database}.restore-${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (!lockExisted) matchOwner(lockFileOf(database), owner);
    const backup = checkedCopy(from, temporary, dir, options);
    matchOwner(temporary, owner);
    const replacedKeptAt = existsSync(database) ? setAside(database, options.now) : undefined;
    try {
      renameSync(temporary, database);
    } catch (error) {
      if (replacedKeptAt !== undefined) putBack(replacedKeptAt, database);
      throw error;
    }
    syncDirectory(dir);
    return { backup, replacedKeptAt };
  } finally {
    rmSync(temporary, { force: true });
    lock.release();
  }
}

function checkedCopy(
  from: string,
  temporary: string,
  dir: string,
  options: RestoreOptions,
): InspectedBackup {
  const refuse = (why: string): never => {
    throw new NotRestorable(`refused: ${from}: ${why}`);
  };
  try {
    assertSqliteHeader(from);
  } catch (error) {
    if (error instanceof NotRestorable) refuse(error.message);
    throw error;
  }
  // Before a byte is copied: a file that would fill the disk is refused (a sparse file claims
  // terabytes and costs nothing to make).
  const size = statSync(from).size;
  const free = (options.freeBytes ?? freeBytesOf)(dir);
  if (size + SPARE_BYTES > free) {
    refuse(
      `it is ${megabytes(size)} MiB; ${dir} has ${megabytes(free)} MiB free, and ${megabytes(SPARE_BYTES)} MiB must stay free`,
    );
  }
  copyFileSync(from, temporary, constants.COPYFILE_EXCL);
  chmodSync(temporary, 0o600);
  let inspected: InspectedBackup;
  const db = new BetterSqlite3(temporary, { fileMustExist: true });
  try {
    try {
      inspected = inspectCopy(db);
    } catch (error) {
      if (error instanceof NotRestorable) refuse(error.message);
      // Anything SQLite itself refuses ("file is not a database", "malformed") says the same.
      refuse(`SQLite cannot use it (${(error as Error).message})`);
      throw error;
    }
    if (inspected.cabinetId !== options.cabinetId && !options.otherCabinet) {
      const named =
        inspected.cabinetId === undefined
          ? 'names no cabinet (no backup identity and no events)'
          : `is from cabinet ${JSON.stringify(inspected.cabinetId)}${inspected.identifiedBy === 'events' ? ' (by its events)' : ''}`;
      refuse(
        `it ${named}, and this is cabinet ${JSON.stringify(options.cabinetId)}; ` +
          'give --other-cabinet to restore it here anyway',
      );
    }
    db.exec(`DROP TABLE IF EXISTS ${BACKUP_TABLE}`);
  } finally {
    db.close();
  }
  const fd = openSync(temporary, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return inspected;
}

/** The replaced database and its -wal renamed together (SQLite finds `<name>-wal`); -shm is rebuilt. */
function setAside(database: string, now: () => Date = () => new Date()): string {
  const aside = `${database}.replaced-${now().toISOString().replaceAll(':', '')}`;
  renameSync(database, aside);
  for (const suffix of ['-wal', '-journal']) {
    if (existsSync(`${database}${suffix}`)) renameSync(`${database}${suffix}`, `${aside}${suffix}`);
  }
  rmSync(`${database}-shm`, { force: true });
  return aside;
}

function putBack(aside: string, database: string): void {
  renameSync(aside, database);
  for (const suffix of ['-wal', '-journal']) {
    if (existsSync(`${aside}${suffix}`)) renameSync(`${aside}${suffix}`, `${database}${suffix}`);
  }
}

function freeBytesOf(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

const megabytes = (bytes: number): number => Math.floor(bytes / (1024 * 1024));
