import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

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
 * Writes the file with mode 0600. An existing regular file with a single link is replaced, and
 * its mode set to 0600 whatever it was (a world-readable file left from an earlier export must
 * not keep exposing the new one). Refused: a symbolic link (O_NOFOLLOW, so a link planted
 * between the check and the open is refused too), a hard-linked file (another name for it may
 * sit where others can read it), anything but a regular file. The file is opened without
 * O_TRUNC and emptied only once it has been checked, so a refused target is left as it was.
 * What the system says becomes a sentence naming the option and path.
 */
export function writeOutputFile(file: string, text: string, option = '--output'): void {
  let fd: number;
  try {
    fd = openSync(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW,
      OUTPUT_FILE_MODE,
    );
  } catch (error) {
    throw cannotWrite(file, option, error as NodeJS.ErrnoException);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      throw new Error(`${option} ${file}: not a regular file; refusing to write`);
    if (stats.nlink > 1) {
      throw new Error(
        `${option} ${file}: has other hard links; refusing to write (give a new file name)`,
      );
    }
    fchmodSync(fd, OUTPUT_FILE_MODE);
    ftruncateSync(fd, 0);
    // Given a descriptor, writeFileSync writes at its position until every byte is out.
    writeFileSync(fd, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw cannotWrite(file, option, error as NodeJS.ErrnoException);
  } finally {
    closeSync(fd);
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
