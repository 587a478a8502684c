import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { lockFileOf, ownerFileOf } from '../daemon/cabinet-lock.js';
import { KeywardenError } from '../errors.js';

/** The files SQLite and the daemon keep for one database: none may be a backup's source or target. */
export function liveFilesOf(database: string): string[] {
  return [
    database,
    `${database}-wal`,
    `${database}-shm`,
    `${database}-journal`,
    lockFileOf(database),
    ownerFileOf(database),
  ];
}

/** The path with its directory's symbolic links resolved (the file itself may not exist yet). */
export function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/**
 * Refuses `path` (given as `option`) when it is the live database or one of its companion
 * files, by name or as another name for the same file (a hard or symbolic link): writing a
 * backup over the database, or restoring the database onto itself, would destroy it.
 */
export function refuseLiveFile(path: string, database: string, option: string): void {
  const target = canonical(path);
  const live = liveFilesOf(database).map(canonical);
  const sameName = live.includes(target);
  const sameFile =
    !sameName &&
    existsSync(target) &&
    live.some((file) => {
      if (!existsSync(file)) return false;
      const a = statSync(target);
      const b = statSync(file);
      return a.dev === b.dev && a.ino === b.ino;
    });
  if (sameName || sameFile) {
    throw new KeywardenError(
      'USAGE',
      `${option} ${path} is the cabinet's live database (${database}) or one of its files; name another file`,
    );
  }
}

/** Refuses anything but a regular file (a directory, a device, a FIFO, a symbolic link). */
export function refuseUnlessRegularFile(path: string, option: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined || stat.isFile()) return;
  throw new KeywardenError('USAGE', `${option} ${path} is not a regular file`);
}
