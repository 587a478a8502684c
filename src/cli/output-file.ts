import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Every export is readable by its owner only: holders' names, HR references and, with
 * --with-cards, full card numbers (a cloneable credential on 125 kHz readers) are personal data.
 */
export const OUTPUT_FILE_MODE = 0o600;

/**
 * Checks where `--output` points before any work is done, so a mistyped directory is told in
 * words ("the directory … does not exist") rather than as a raw ENOENT after the export ran.
 * A symbolic link is refused here too, before the export, and again when the file is opened.
 */
export function checkOutputPath(file: string, option = '--output'): void {
  const dir = dirname(resolve(file));
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw new Error(`${option} ${file}: the directory ${dir} does not exist (create it first)`);
  }
  if (!stats.isDirectory()) throw new Error(`${option} ${file}: ${dir} is not a directory`);
  let existing;
  try {
    existing = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return;
  }
  if (existing.isSymbolicLink()) throw new Error(`${option} ${file}: ${SYMLINK_REFUSED}`);
  if (existing.isDirectory())
    throw new Error(`${option} ${file}: is a directory; give a file name`);
}

const SYMLINK_REFUSED = 'is a symbolic link; refusing to write through it (give a new file name)';

/**
 * Writes the file with mode 0600, as a new file renamed over the old one. Whoever held the old
 * file open (a world-readable file left from an earlier export) keeps reading the old contents,
 * never the new: changing its mode would not have revoked an open descriptor. Refused, leaving
 * the target as it was: a symbolic link, a hard-linked file (another name for it may sit where
 * others can read it), anything but a regular file. The new file is made with O_EXCL under a
 * random name, so nothing planted can stand in for it; rename replaces a name, never follows a
 * link placed there since the check. What the system says becomes a sentence naming the option
 * and path.
 */
export function writeOutputFile(file: string, text: string, option = '--output'): void {
  refuseExistingTarget(file, option);
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      OUTPUT_FILE_MODE,
    );
  } catch (error) {
    throw cannotWrite(file, option, error as NodeJS.ErrnoException);
  }
  try {
    try {
      // The umask may have taken bits away; it never adds any, but say 0600 in so many words.
      fchmodSync(fd, OUTPUT_FILE_MODE);
      // Given a descriptor, writeFileSync writes at its position until every byte is out.
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannotWrite(file, option, error as NodeJS.ErrnoException);
  }
}

/** What stands at the path now, if anything, must be a plain file with one name. */
function refuseExistingTarget(file: string, option: string): void {
  let stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw cannotWrite(file, option, error as NodeJS.ErrnoException);
  }
  if (stats.isSymbolicLink()) throw new Error(`${option} ${file}: ${SYMLINK_REFUSED}`);
  if (!stats.isFile()) throw new Error(`${option} ${file}: not a regular file; refusing to write`);
  if (stats.nlink > 1) {
    throw new Error(
      `${option} ${file}: has other hard links; refusing to write (give a new file name)`,
    );
  }
}

function cannotWrite(file: string, option: string, error: NodeJS.ErrnoException): Error {
  const { code, message } = error;
  if (code === 'ELOOP') return new Error(`${option} ${file}: ${SYMLINK_REFUSED}`, { cause: error });
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? `the directory ${dirname(resolve(file))} does not exist`
        : code === 'ENOSPC'
          ? 'the disk is full'
          : message;
  return new Error(`${option} ${file}: cannot write: ${reason}`, { cause: error });
}
