import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { KeywardenError } from '../errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** Reads `NNN_name.sql` files in version order; a gap or a duplicate number is a packaging bug. */
export function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new KeywardenError(
        'MIGRATION_FAILED',
        `${dir}: migration ${m.version} (${m.name}) is out of sequence; expected ${i + 1}`,
      );
    }
  });
  return migrations;
}

/**
 * Brings the database to the newest schema, each migration in its own transaction and recorded
 * in schema_migrations. A database written by a newer Keywarden is refused rather than guessed
 * at: running old code on it could misread or corrupt records.
 */
export function migrate(db: Database, migrations: Migration[], file: string): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = currentVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new KeywardenError(
      'DATABASE_TOO_NEW',
      `${file}: the database is at schema version ${current}, but this Keywarden knows only up to ${latest}. ` +
        'Upgrade Keywarden, or restore a backup made by this version.',
    );
  }
  const applied: number[] = [];
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const m of migrations.filter((m) => m.version > current)) {
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
      })();
    } catch (cause) {
      throw new KeywardenError(
        'MIGRATION_FAILED',
        `${file}: migration ${m.version} (${m.name}) failed: ${(cause as Error).message}`,
        { cause },
      );
    }
    applied.push(m.version);
  }
  return applied;
}

export function currentVersion(db: Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as {
    v: number | null;
  };
  return row.v ?? 0;
}
