import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrationsDir } from '../paths.js';
import { readMigrations } from '../store/migrations.js';
import { mayCreateIn, mayReadWrite, type DoctorMachine } from './doctor-machine.js';
import { fail, ok, warn, type CheckResult } from './doctor-report.js';

/** Below this the next burst of events (and SQLite's checkpoint) may not fit: the cabinet stops recording. */
export const FAIL_BELOW_FREE_BYTES = 64 * 1024 * 1024;
/** Below this, a warning while there is still time. */
export const WARN_BELOW_FREE_BYTES = 512 * 1024 * 1024;

const MiB = 1024 * 1024;

/** The database file and its directory usable, its pages sound, its schema one we know. */
export function checkDatabase(database: string, machine: DoctorMachine): CheckResult[] {
  if (database === ':memory:') return [ok('database', 'in memory (demo): nothing kept')];
  const dir = dirname(database);
  const user = machine.user.name;
  const ownIt = `sudo chown -R ${user}: ${dir} (the daemon's user must own the database and its directory)`;
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    return [fail('database', `${dir} does not exist`, `sudo install -d -o ${user} -m 0750 ${dir}`)];
  }
  const exists = existsSync(database);
  // WAL mode creates -wal and -shm beside the file: the directory must be writable too.
  const unwritable = [
    ...(mayCreateIn(dirStat, machine.user) ? [] : [dir]),
    ...(exists && !mayReadWrite(statSync(database), machine.user) ? [database] : []),
  ];
  const results: CheckResult[] = [
    unwritable.length > 0
      ? fail(
          'database',
          `${unwritable.join(' and ')} ${unwritable.length > 1 ? 'are' : 'is'} not writable by ${user}`,
          ownIt,
        )
      : exists
        ? ok('database', `${database} writable by ${user}`)
        : warn(
            'database',
            `${database} does not exist yet: the daemon creates it at its first start`,
          ),
  ];
  if (exists) results.push(checkIntegrity(database));
  results.push(checkSpace(dir, machine));
  return results;
}

/**
 * quick_check (every page and index structure, without the costly index-to-table comparison
 * of integrity_check) and the schema version. Read-only: the doctor never changes the file.
 */
function checkIntegrity(database: string): CheckResult {
  const restore = 'stop the daemon and restore the newest backup (keywarden restore --from FILE)';
  let db;
  try {
    db = new BetterSqlite3(database, { readonly: true, fileMustExist: true, timeout: 5_000 });
  } catch (error) {
    return fail(
      'database integrity',
      `cannot open ${database}: ${(error as Error).message}`,
      restore,
    );
  }
  try {
    const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
    const verdict = rows.map((r) => r.quick_check);
    if (verdict.length !== 1 || verdict[0] !== 'ok') {
      return fail('database integrity', `quick_check: ${verdict.join('; ')}`, restore);
    }
    const hasVersions = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!hasVersions) {
      return fail(
        'database integrity',
        `${database} is not a Keywarden database (no schema_migrations)`,
        restore,
      );
    }
    const { v } = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as {
      v: number | null;
    };
    const latest = readMigrations(migrationsDir()).at(-1)?.version ?? 0;
    if ((v ?? 0) > latest) {
      return fail(
        'database integrity',
        `schema version ${v}, newer than this Keywarden's ${latest}`,
        'install the Keywarden that wrote it, or restore a backup made by this version',
      );
    }
    return ok('database integrity', `quick_check ok, schema version ${v ?? 0} of ${latest}`);
  } catch (error) {
    return fail('database integrity', `${database}: ${(error as Error).message}`, restore);
  } finally {
    db.close();
  }
}

function checkSpace(dir: string, machine: DoctorMachine): CheckResult {
  let space;
  try {
    space = machine.statfs(dir);
  } catch (error) {
    return warn('disk space', `cannot read the free space of ${dir}: ${(error as Error).message}`);
  }
  const free = `${Math.floor(space.freeBytes / MiB)} MiB free of ${Math.floor(space.totalBytes / MiB)} MiB on ${dir}`;
  const makeRoom =
    'make room: sudo journalctl --vacuum-size=50M, remove old backups, or shorten the retention (docs/operations.md, "The SD card")';
  if (space.freeBytes < FAIL_BELOW_FREE_BYTES) {
    return fail('disk space', `${free}: too little to keep recording`, makeRoom);
  }
  if (space.freeBytes < WARN_BELOW_FREE_BYTES) return warn('disk space', free, makeRoom);
  return ok('disk space', free);
}
