import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KeywardenError } from '../errors.js';

/**
 * The OSDP readers' Secure Channel base key (SCBK), config `readers.osdpKeyFile`: 16 bytes as
 * 32 hex digits in a file of its own, like the PIN pepper kept out of the database so that a
 * copy of it cannot impersonate the cabinet to its readers (or a reader to the cabinet).
 *
 * Unlike the pepper it is never made here: a reader keyed with a key the daemon invented at a
 * first start, then lost with a reinstall, would have to be reset at the reader by hand. The
 * person commissioning the cabinet makes it once (docs/osdp.md, "The key file"; systemd/
 * install.sh does not), backs it up, and every start reads the same one. Refused (exit 78)
 * if missing, not a regular file (a link could point anywhere), readable by anyone but its
 * owner, or not 32 hex digits. Messages never repeat the file's content.
 */
export const OSDP_KEY_BYTES = 16;
const FILE_NAME = 'osdp-key';
/** 32 hex digits and at most a trailing newline: anything longer is not a key file. */
const MAX_FILE_BYTES = 64;

/** Where the key lives: the configured file, else beside the database. */
export function osdpKeyFile(database: string, configured: string | undefined): string | null {
  if (configured !== undefined) return configured;
  return database === ':memory:' ? null : join(dirname(database), FILE_NAME);
}

export function loadOsdpKey(file: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw refused(
      file,
      code === 'ENOENT'
        ? 'does not exist: make it with `umask 077; openssl rand -hex 16 > <file>` (docs/osdp.md, "In the cabinet")'
        : `cannot be read: ${code ?? (err as Error).message}`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refused(file, 'is not a regular file');
    if ((stat.mode & 0o077) !== 0) {
      throw refused(
        file,
        `is readable by others (mode ${(stat.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, read)
      .toString('latin1')
      .replace(/\r?\n$/, '');
    if (!/^[0-9a-fA-F]{32}$/.test(text)) {
      throw refused(file, `must hold exactly 32 hex digits (${OSDP_KEY_BYTES} bytes)`);
    }
    return Uint8Array.from(Buffer.from(text, 'hex'));
  } finally {
    closeSync(fd);
  }
}

function refused(file: string, why: string): KeywardenError {
  return new KeywardenError('CONFIG_INVALID', `readers.osdpKeyFile ${file} ${why}`);
}
