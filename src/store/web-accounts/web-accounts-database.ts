import { closeSync, existsSync, fchownSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase, type Database } from '../database.js';
import { packageRoot } from '../../paths.js';

/** The web console's migrations: migrations/web/, numbered apart from the cabinet's. */
export const webMigrationsDir = (): string => join(packageRoot(), 'migrations', 'web');

/**
 * Opens (creating if needed) and migrates the console's accounts database. A new file is made
 * 0600 before SQLite opens it (its -wal and -shm files take the same mode): it holds password
 * hashes and sessions, and only the console's user has any business reading them. Made by root
 * (`keywarden web-user add` for the first administrator), it is given to whoever owns its
 * directory (the console's /var/lib/keywarden-web), or the console could not write to it; SQLite
 * gives its -wal and -shm files the database file's owner.
 */
export function openWebAccountsDatabase(file: string): Database {
  if (file !== ':memory:' && !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const fd = openSync(file, 'a', 0o600);
    try {
      if (process.getuid?.() === 0) {
        const directory = statSync(dirname(file));
        fchownSync(fd, directory.uid, directory.gid);
      }
    } finally {
      closeSync(fd);
    }
  }
  return openDatabase(file, { migrations: webMigrationsDir() });
}
