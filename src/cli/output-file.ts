import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Checks where `--output` points before any work is done, so a mistyped directory is told in
 * words ("the directory … does not exist") rather than as a raw ENOENT after the export ran.
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
  try {
    if (statSync(file).isDirectory()) {
      throw new Error(`${option} ${file}: is a directory; give a file name`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Writes the file, turning what the system says into a sentence naming the option and path. */
export function writeOutputFile(
  file: string,
  text: string,
  mode: number,
  option = '--output',
): void {
  try {
    writeFileSync(file, text, { mode });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOENT'
          ? `the directory ${dirname(resolve(file))} does not exist`
          : code === 'ENOSPC'
            ? 'the disk is full'
            : message;
    throw new Error(`${option} ${file}: cannot write: ${reason}`, { cause: error });
  }
}
