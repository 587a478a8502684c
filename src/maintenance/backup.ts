import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { KeywardenError } from '../errors.js';
import { currentVersion } from '../store/migrations.js';
import { BACKUP_TABLE, writeBackupIdentity } from './backup-identity.js';
import { assertSqliteHeader } from './backup-file.js';
import { canonical, refuseLiveFile, refuseUnlessRegularFile } from './live-files.js';
import { giveBackToOwner, syncDirectory } from './file-owner.js';

export interface BackupOptions {
  database: string;
  cabinetId: string;
  to: string;
  now?: () => Date;
}

export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
  events: number;
  lastSeq: number;
}

/**
 * A consistent copy of the live database, safe while the daemon runs and writes: SQLite's
 * online backup reads one snapshot (in WAL mode it never blocks the daemon's commits), copied
 * here in a single step so that a commit in between cannot make SQLite start over, again and
 * again, on a busy cabinet. The copy is written beside the target as a temporary file created
 * with mode 0600 (it holds PIN hashes and every holder's name), checked, given its identity,
 * synced, and only then renamed over the target: a crash leaves the old backup or the new one,
 * never half of one.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  const { database, to } = options;
  if (database === ':memory:') {
    throw new KeywardenError(
      'USAGE',
      'the database is in memory (demo): there is nothing to back up',
    );
  }
  if (!existsSync(database)) {
    throw new KeywardenError('USAGE', `${database}: no database yet, nothing to back up`);
  }
  refuseLiveFile(to, database, '--to');
  refuseUnlessRegularFile(to, '--to');
  const target = canonical(to);
  if (!existsSync(dirname(target))) {
    throw new KeywardenError(
      'USAGE',
      `--to ${to}: the directory ${dirname(target)} does not exist`,
    );
  }
  if (existsSync(target) && !isKeywardenBackup(target)) {
    // Replacing a previous backup is the point of a nightly job; replacing any other file (a
    // typo, or a path someone slipped into a root cron line) is not.
    throw new KeywardenError(
      'USAGE',
      `--to ${to} exists and is not a Keywarden backup; remove it or name another file`,
    );
  }
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // Created empty, exclusively and private before SQLite writes a page into it.
  closeSync(openSync(temporary, 'wx', 0o600));
  try {
    const companions = existingCompanions(database);
    const source = new BetterSqlite3(database, { fileMustExist: true, timeout: 5_000 });
    try {
      await source.backup(temporary, { progress: () => 0x7fffffff });
    } finally {
      source.close();
      // Root opening a stopped cabinet's database creates its -wal and -shm; if SQLite left
      // them, they must stay the daemon's, or it could not open its own database.
      giveBackToOwner(database, companions);
    }
    const result = finishCopy(temporary, options);
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temporary, 0o600);
    renameSync(temporary, target);
    syncDirectory(dirname(target));
    return { ...result, file: target, bytes: statSync(target).size };
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The copy as one self-contained file (no -wal), checked, with what identifies the cabinet. */
function finishCopy(file: string, options: BackupOptions): Omit<BackupResult, 'file' | 'bytes'> {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const verdict = db.pragma('quick_check', { simple: true });
    if (verdict !== 'ok') {
      throw new Error(`the copy failed its check: ${String(verdict)}`);
    }
    const schemaVersion = currentVersion(db);
    writeBackupIdentity(db, {
      cabinetId: options.cabinetId,
      madeAt: (options.now?.() ?? new Date()).toISOString(),
      host: hostname(),
      schemaVersion,
    });
    const events = db
      .prepare('SELECT count(*) AS n, coalesce(max(seq), 0) AS last FROM events')
      .get() as { n: number; last: number };
    return { schemaVersion, events: events.n, lastSeq: events.last };
  } finally {
    db.close();
  }
}

/** An SQLite file carrying the identity table `keywarden backup` writes. */
function isKeywardenBackup(file: string): boolean {
  try {
    assertSqliteHeader(file);
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      return (
        db
          .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
          .get(BACKUP_TABLE) !== undefined
      );
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

function existingCompanions(database: string): Set<string> {
  return new Set([`${database}-wal`, `${database}-shm`].filter((file) => existsSync(file)));
}
