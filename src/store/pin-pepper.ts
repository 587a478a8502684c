import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchownSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { KeywardenError } from '../errors.js';
import { readSecretFile } from '../secret-file.js';
import type { PinPepper } from './pin-hash.js';

/**
 * The PIN pepper (src/store/pin-hash.ts): 32 random bytes in a file of its own, outside the
 * database, so that a copy of the database (a backup, an export, a custodian with read access)
 * holds no PIN anyone can search for. Made at the first start (daemon or CLI) if absent, with
 * mode 0600; read with the checks every secret file gets (src/secret-file.ts: no link, a
 * regular file, readable by its owner only, a trusted owner) and refused unless exactly 32
 * bytes. Lost, it cannot be made again: every PIN set with it must be
 * set again, so it is backed up with the config's other secrets (docs/operations.md).
 */
const PEPPER_BYTES = 32;
const FILE_NAME = 'pin-pepper';

/** Where the pepper lives: the configured file, else beside the database. */
export function pinPepperFile(database: string, configured: string | undefined): string | null {
  if (configured !== undefined) return configured;
  return database === ':memory:' ? null : join(dirname(database), FILE_NAME);
}

/** Reads the pepper, making it first if the file does not exist. */
export function loadPinPepper(file: string): Buffer {
  try {
    // O_EXCL: two processes starting at once make one pepper, never two.
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      giveToDirectoryOwner(fd, file);
      writeSync(fd, randomBytes(PEPPER_BYTES));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw refused(file, cannotBeReadOrMade(err));
  }
  return readSecretFile(file, {
    minBytes: PEPPER_BYTES,
    maxBytes: PEPPER_BYTES,
    wrongSize: `must hold exactly ${PEPPER_BYTES} bytes`,
    cannotOpen: (err) => cannotBeReadOrMade(err),
    refused: (why) => refused(file, why),
  });
}

/**
 * Made by root (the command line with the daemon stopped), the pepper would be root's, 0600, and
 * the daemon, running as its own user, could not read it and would not start: so root gives it
 * to whoever owns its directory (the daemon's state directory, /var/lib/keywarden).
 */
function giveToDirectoryOwner(fd: number, file: string): void {
  if (process.getuid?.() !== 0) return;
  const directory = statSync(dirname(file));
  fchownSync(fd, directory.uid, directory.gid);
}

function refused(file: string, why: string): KeywardenError {
  return new KeywardenError('CONFIG_INVALID', `PIN pepper ${file} ${why}`);
}

function cannotBeReadOrMade(err: unknown): string {
  return `cannot be read or made: ${(err as Error).message}`;
}

/**
 * The pepper that goes with each open database: registered by whoever opened it with the
 * config (the daemon, the CLI), read by the PIN code that holds only the database. A database
 * with none registered (a test's) hashes without a pepper.
 */
const peppers = new WeakMap<Database, Buffer>();

export function usePinPepper(db: Database, database: string, configured: string | undefined): void {
  const file = pinPepperFile(database, configured);
  // An in-memory database lives and dies with its process: so may its pepper.
  peppers.set(db, file === null ? randomBytes(PEPPER_BYTES) : loadPinPepper(file));
}

export function pinPepperOf(db: Database): PinPepper {
  return peppers.get(db) ?? null;
}
