import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrationsDir } from '../paths.js';
import { migrate, readMigrations } from './migrations.js';

export type { Database } from 'better-sqlite3';

export interface OpenOptions {
  /** Where the numbered SQL files are; the package's migrations/ by default. */
  migrations?: string;
  readonly?: boolean;
}

/**
 * Opens (creating if needed) and migrates the cabinet database. WAL with synchronous=FULL: a
 * committed event survives a power cut (better-sqlite3's build defaults WAL to NORMAL, which may
 * roll back the last commits). The busy timeout lets the custodian CLI and the daemon share the
 * file.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, readMigrations(options.migrations ?? migrationsDir()), file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
