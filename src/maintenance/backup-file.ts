import { closeSync, openSync, readSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrationsDir } from '../paths.js';
import { migrate, readMigrations, type Migration } from '../store/migrations.js';
import { BACKUP_TABLE, BACKUP_TABLE_SQL } from './backup-identity.js';

/** Why a file is not a Keywarden database this version may restore. */
export class NotRestorable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotRestorable';
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Cheap, before anything is copied or opened: the first 16 bytes of every SQLite 3 file. */
export function assertSqliteHeader(file: string): void {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw new NotRestorable('it is not an SQLite database');
}

export interface InspectedBackup {
  /** The cabinet it names; undefined when it names none (no identity table, no events). */
  cabinetId: string | undefined;
  /** Where the name came from. */
  identifiedBy: 'backup' | 'events' | 'nothing';
  madeAt: string | undefined;
  schemaVersion: number;
  events: number;
}

/**
 * Everything checked on an opened copy (never on the original, which may be anyone's file):
 * SQLite's full integrity_check, then the schema itself, compared object by object (tables,
 * indexes, triggers, views, their SQL) with what this Keywarden's migrations build up to the
 * file's version. A file with one table, trigger or view more or less, or from a newer
 * Keywarden, is refused: the daemon would run its triggers on every write.
 */
export function inspectCopy(db: Database): InspectedBackup {
  // Functions named in a crafted schema must not run while it is being read.
  db.pragma('trusted_schema = OFF');
  let objects: SchemaObject[];
  try {
    objects = schemaOf(db);
  } catch (error) {
    throw new NotRestorable(`SQLite cannot read its schema (${(error as Error).message})`);
  }
  const integrity = (db.pragma('integrity_check(5)') as Array<{ integrity_check: string }>).map(
    (r) => r.integrity_check,
  );
  if (integrity.length !== 1 || integrity[0] !== 'ok') {
    throw new NotRestorable(`it fails SQLite's integrity check: ${integrity.join('; ')}`);
  }
  if (!objects.some((o) => o.type === 'table' && o.name === 'schema_migrations')) {
    throw new NotRestorable('it is not a Keywarden database (no schema_migrations table)');
  }
  const migrations = readMigrations(migrationsDir());
  const version = checkVersions(db, migrations);
  compareSchema(
    objects,
    migrations.filter((m) => m.version <= version),
  );
  return { ...identify(db, objects), schemaVersion: version, events: countEvents(db) };
}

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/**
 * Tables SQLite makes and fills itself, whose rows say nothing about the schema: AUTOINCREMENT's
 * counters and ANALYZE's statistics (which the daemon's PRAGMA optimize may add). Everything else
 * is compared, `sqlite_`-named or not: SQLite runs a trigger or view of any name, so a name
 * prefix must never hide one (its own autoindexes are compared like any index, and match).
 */
const SQLITE_OWN_TABLES = new Set([
  'sqlite_sequence',
  'sqlite_stat1',
  'sqlite_stat2',
  'sqlite_stat3',
  'sqlite_stat4',
]);

function schemaOf(db: Database): SchemaObject[] {
  return (
    db
      .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name')
      .all() as SchemaObject[]
  ).filter((o) => !(o.type === 'table' && SQLITE_OWN_TABLES.has(o.name)));
}

/** Versions 1..N each once, named as this Keywarden names them; N is returned. */
function checkVersions(db: Database, migrations: Migration[]): number {
  let rows: Array<{ version: unknown; name: unknown }>;
  try {
    rows = db
      .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
      .all() as Array<{
      version: unknown;
      name: unknown;
    }>;
  } catch (error) {
    throw new NotRestorable(`its schema_migrations cannot be read (${(error as Error).message})`);
  }
  const latest = migrations.at(-1)?.version ?? 0;
  const newest = rows.at(-1)?.version;
  if (typeof newest === 'number' && newest > latest) {
    throw new NotRestorable(
      `it is at schema version ${newest}, newer than this Keywarden's ${latest}: restore it with the Keywarden that made it`,
    );
  }
  rows.forEach((row, i) => {
    const expected = migrations[i];
    if (row.version !== i + 1 || expected === undefined || row.name !== expected.name) {
      throw new NotRestorable(
        `its schema_migrations does not match this Keywarden's migrations at row ${i + 1}`,
      );
    }
  });
  return rows.length;
}

function compareSchema(objects: SchemaObject[], migrations: Migration[]): void {
  const reference = new BetterSqlite3(':memory:');
  let expected: SchemaObject[];
  try {
    migrate(reference, migrations, ':memory:');
    expected = schemaOf(reference);
  } finally {
    reference.close();
  }
  const key = (o: SchemaObject): string => JSON.stringify([o.type, o.name, o.tbl_name, o.sql]);
  const isIdentity = (o: SchemaObject): boolean =>
    o.type === 'table' && o.name === BACKUP_TABLE && o.sql === BACKUP_TABLE_SQL;
  const found = new Set(objects.filter((o) => !isIdentity(o)).map(key));
  const wanted = new Set(expected.map(key));
  const extra = objects.filter((o) => !isIdentity(o) && !wanted.has(key(o)));
  const missing = expected.filter((o) => !found.has(key(o)));
  if (extra.length > 0 || missing.length > 0) {
    const names = (list: SchemaObject[]): string =>
      list
        .slice(0, 5)
        .map((o) => `${o.type} ${JSON.stringify(o.name)}`)
        .join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
    throw new NotRestorable(
      "its schema is not Keywarden's" +
        (extra.length > 0 ? `: unexpected ${names(extra)}` : '') +
        (missing.length > 0 ? `${extra.length > 0 ? ';' : ':'} missing ${names(missing)}` : ''),
    );
  }
}

/**
 * The cabinet named by the backup's identity table; for a plain copy of a database (no such
 * table), the cabinet its newest event was recorded by.
 */
function identify(
  db: Database,
  objects: SchemaObject[],
): Pick<InspectedBackup, 'cabinetId' | 'identifiedBy' | 'madeAt'> {
  if (objects.some((o) => o.type === 'table' && o.name === BACKUP_TABLE)) {
    const rows = db.prepare(`SELECT cabinet_id, made_at FROM ${BACKUP_TABLE}`).all() as Array<{
      cabinet_id: unknown;
      made_at: unknown;
    }>;
    const [row] = rows;
    if (
      rows.length !== 1 ||
      typeof row?.cabinet_id !== 'string' ||
      typeof row.made_at !== 'string'
    ) {
      throw new NotRestorable(`its ${BACKUP_TABLE} table does not hold exactly one cabinet`);
    }
    return { cabinetId: row.cabinet_id, identifiedBy: 'backup', madeAt: row.made_at };
  }
  const newest = db.prepare('SELECT payload FROM events ORDER BY seq DESC LIMIT 1').get() as
    { payload: string } | undefined;
  if (newest === undefined)
    return { cabinetId: undefined, identifiedBy: 'nothing', madeAt: undefined };
  try {
    const cabinetId = (JSON.parse(newest.payload) as { cabinetId?: unknown }).cabinetId;
    if (typeof cabinetId === 'string')
      return { cabinetId, identifiedBy: 'events', madeAt: undefined };
  } catch {
    // An unreadable payload names nobody: treated as another cabinet's.
  }
  return { cabinetId: undefined, identifiedBy: 'nothing', madeAt: undefined };
}

function countEvents(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
}
