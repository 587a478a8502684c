import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a file that holds a secret (the PIN pepper, the OSDP readers' key) with the checks such
 * a file deserves, so that each secret is not checked again by hand, one check short:
 *
 * - never through a link (O_NOFOLLOW): a link could point it at any file;
 * - a regular file: a FIFO or a device would hang the start or feed it anything;
 * - readable by its owner only: a secret others can read is no longer one;
 * - owned by this process's user, by root, or by whoever owns its directory (who could replace
 *   it anyway; made by root, the pepper is given to that owner): a file another user planted
 *   holds the secret they chose;
 * - its size within the caller's bounds, checked before anything is read as the secret.
 *
 * Reasons never quote the content. What each caller adds stays with it: whether a missing file
 * is made (the pepper) or refused (the OSDP key), what the content must look like, and the
 * error its messages and exit code come in (`refused`). It imports nothing of src/, so the store
 * (the pepper) and the config (the key) may both use it.
 */
export interface SecretFileRules {
  /** The smallest and the largest size in bytes the file may have. */
  minBytes: number;
  maxBytes: number;
  /** The reason given for a size outside those bounds (what the file must hold). */
  wrongSize: string;
  /** The reason given for a file that cannot be opened (missing, a link, no permission). */
  cannotOpen: (error: NodeJS.ErrnoException) => string;
  /** The caller's error for a reason: it names the file and the setting. */
  refused: (why: string) => Error;
}

export function readSecretFile(file: string, rules: SecretFileRules): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    throw rules.refused(rules.cannotOpen(err as NodeJS.ErrnoException));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw rules.refused('is not a regular file');
    if ((stat.mode & 0o077) !== 0) {
      throw rules.refused(
        `is readable by others (mode ${(stat.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    const owner = trustedOwnerProblem(file, stat.uid);
    if (owner !== null) throw rules.refused(owner);
    if (stat.size < rules.minBytes || stat.size > rules.maxBytes) {
      throw rules.refused(rules.wrongSize);
    }
    // One byte more than allowed, so a file that grew after the fstat is still seen as too long.
    const buffer = Buffer.alloc(rules.maxBytes + 1);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    if (read < rules.minBytes || read > rules.maxBytes) throw rules.refused(rules.wrongSize);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Null when `uid` may own a secret this process reads, else the reason it may not. */
function trustedOwnerProblem(file: string, uid: number): string | null {
  const self = process.geteuid?.();
  // Where there are no user ids (Windows), there is nothing to compare.
  if (self === undefined || uid === self || uid === 0) return null;
  if (uid === directoryOwner(file)) return null;
  return `belongs to user ${uid}, neither this process's user, root, nor its directory's owner; chown it`;
}

/** Who owns the file's directory; undefined when it cannot be told (it is then no one). */
function directoryOwner(file: string): number | undefined {
  try {
    return statSync(dirname(file)).uid;
  } catch {
    return undefined;
  }
}
