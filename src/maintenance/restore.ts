import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { acquireMaintenanceLock, type CabinetLock } from '../daemon/cabinet-lock.js';
import { isKeywardenError, KeywardenError } from '../errors.js';
import { BACKUP_TABLE } from './backup-identity.js';
import {
  assertSqliteHeader,
  inspectCopy,
  NotRestorable,
  type InspectedBackup,
} from './backup-file.js';
import { syncDirectory } from './file-owner.js';
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
  /**
   * Called with the name of the checked copy in the database's directory once it is written
   * and before it is renamed into place: tests play the daemon's user there.
   */
  copyPlaced?: (temporary: string) => void;
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
 * being replaced. The backup is copied into a private directory root alone can enter and every
 * check runs there; the checked bytes are then written beside the database through one handle,
 * given to the database's owner and synced through that handle, and renamed into place only
 * while the name still is that file. The database's directory belongs to the daemon's user,
 * so as root nothing there is ever opened, changed or chowned by a name that user could have
 * swapped for a link. The replaced database (with its -wal, whose commits it may still need)
 * is renamed aside, never deleted.
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
  let lock: CabinetLock;
  try {
    lock = acquireMaintenanceLock(database);
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
  // mkdtemp: a new directory, mode 0700, in the sticky temporary directory.
  const checking = mkdtempSync(join(tmpdir(), 'keywarden-restore-'));
  try {
    const checked = join(checking, 'cabinet.db');
    const backup = checkedCopy(from, checked, [dir, checking], options);
    placeCopy(checked, temporary, owner, options.copyPlaced);
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
    removeName(temporary);
    rmSync(checking, { recursive: true, force: true });
    lock.release();
  }
}

/**
 * The checked file written to `temporary` through one handle (O_EXCL | O_NOFOLLOW: a name made
 * by nobody else), chowned and synced through it; then the name must still be that file.
 */
function placeCopy(
  checked: string,
  temporary: string,
  owner: { uid: number; gid: number },
  copyPlaced: ((temporary: string) => void) | undefined,
): void {
  const fd = openSync(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    copyInto(checked, fd);
    fchmodSync(fd, 0o600); // whatever the umask
    if (process.getuid?.() === 0) fchownSync(fd, owner.uid, owner.gid);
    fsyncSync(fd);
    copyPlaced?.(temporary);
    const written = fstatSync(fd);
    const named = lstatSync(temporary, { throwIfNoEntry: false });
    if (
      named === undefined ||
      !named.isFile() ||
      named.dev !== written.dev ||
      named.ino !== written.ino
    ) {
      throw new Error(
        `refused: ${temporary} was replaced by another process while the backup was put in place; nothing was restored`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

function copyInto(source: string, target: number): void {
  const input = openSync(source, 'r');
  const buffer = Buffer.alloc(1024 * 1024);
  try {
    for (;;) {
      const read = readSync(input, buffer, 0, buffer.length, null);
      if (read === 0) return;
      for (let written = 0; written < read;) {
        written += writeSync(target, buffer, written, read - written);
      }
    }
  } finally {
    closeSync(input);
  }
}

/** Unlinks the name whatever it now is (a planted link goes, not what it points to). */
function removeName(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // A directory planted there by the daemon's user is theirs to remove; the restore's own
    // outcome (or error) is what the operator must see.
  }
}

function checkedCopy(
  from: string,
  temporary: string,
  dirs: string[],
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
  for (const dir of dirs) {
    const free = (options.freeBytes ?? freeBytesOf)(dir);
    if (size + SPARE_BYTES > free) {
      refuse(
        `it is ${megabytes(size)} MiB; ${dir} has ${megabytes(free)} MiB free, and ${megabytes(SPARE_BYTES)} MiB must stay free`,
      );
    }
  }
  copyFileSync(from, temporary, constants.COPYFILE_EXCL);
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
