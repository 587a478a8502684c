import {
  closeSync,
  constants,
  existsSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  statSync,
} from 'node:fs';

/**
 * Files root creates beside the daemon's database (SQLite's -wal and -shm, a restored
 * database, the lock file) must belong to the database's owner, or the daemon, which is not
 * root, could not open them. `before` lists those that existed already (left alone).
 */
export function giveBackToOwner(database: string, before: ReadonlySet<string>): void {
  if (process.getuid?.() !== 0 || !existsSync(database)) return;
  const owner = statSync(database);
  for (const file of [`${database}-wal`, `${database}-shm`]) {
    if (!before.has(file) && existsSync(file)) giveToOwner(file, owner);
  }
}

/**
 * As root: `file` given to `owner`'s user and group, through a handle opened without following
 * a symbolic link. The database's directory belongs to the daemon's user, who could swap the
 * name for a link to any root file between its creation and this call: a chown by name would
 * hand that file over. O_NONBLOCK: a FIFO planted there must not hang the command.
 */
export function giveToOwner(file: string, owner: { uid: number; gid: number }): void {
  if (process.getuid?.() !== 0) return;
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) {
      throw new Error(`${file} is not a regular file: it was replaced; not given to the daemon`);
    }
    fchownSync(fd, owner.uid, owner.gid);
  } finally {
    closeSync(fd);
  }
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
