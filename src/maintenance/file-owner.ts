import { chownSync, closeSync, existsSync, fsyncSync, openSync, statSync } from 'node:fs';

/**
 * Files root creates beside the daemon's database (SQLite's -wal and -shm, a restored
 * database, the lock file) must belong to the database's owner, or the daemon, which is not
 * root, could not open them. `before` lists those that existed already (left alone).
 */
export function giveBackToOwner(database: string, before: ReadonlySet<string>): void {
  if (process.getuid?.() !== 0 || !existsSync(database)) return;
  const { uid, gid } = statSync(database);
  for (const file of [`${database}-wal`, `${database}-shm`]) {
    if (!before.has(file) && existsSync(file)) chownSync(file, uid, gid);
  }
}

/** As root: `file` given to `owner`'s user and group. */
export function matchOwner(file: string, owner: { uid: number; gid: number }): void {
  if (process.getuid?.() === 0) chownSync(file, owner.uid, owner.gid);
}

/** A rename is durable only once its directory is synced. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
