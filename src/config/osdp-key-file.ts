import { dirname, join } from 'node:path';
import { KeywardenError } from '../errors.js';
import { readSecretFile } from '../secret-file.js';

/**
 * The OSDP readers' Secure Channel base key (SCBK), config `readers.osdpKeyFile`: 16 bytes as
 * 32 hex digits in a file of its own, like the PIN pepper kept out of the database so that a
 * copy of it cannot impersonate the cabinet to its readers (or a reader to the cabinet).
 *
 * Unlike the pepper it is never made here: a reader keyed with a key the daemon invented at a
 * first start, then lost with a reinstall, would have to be reset at the reader by hand. The
 * person commissioning the cabinet makes it once (docs/osdp.md, "The key file"; systemd/
 * install.sh does not), backs it up, and every start reads the same one. Refused (exit 78)
 * if missing, or not 32 hex digits, or on any of the checks every secret file gets
 * (src/secret-file.ts: a link, not a regular file, readable by anyone but its owner, another
 * user's). Messages never repeat the file's content.
 */
export const OSDP_KEY_BYTES = 16;
const FILE_NAME = 'osdp-key';
const HEX_DIGITS = OSDP_KEY_BYTES * 2;
/** 32 hex digits and at most a trailing newline (CRLF included): anything longer is not a key. */
const MAX_FILE_BYTES = HEX_DIGITS + 2;
const MALFORMED = `must hold exactly ${HEX_DIGITS} hex digits (${OSDP_KEY_BYTES} bytes)`;

/** Where the key lives: the configured file, else beside the database. */
export function osdpKeyFile(database: string, configured: string | undefined): string | null {
  if (configured !== undefined) return configured;
  return database === ':memory:' ? null : join(dirname(database), FILE_NAME);
}

export function loadOsdpKey(file: string): Uint8Array {
  const text = readSecretFile(file, {
    minBytes: HEX_DIGITS,
    maxBytes: MAX_FILE_BYTES,
    wrongSize: MALFORMED,
    cannotOpen: (err) =>
      err.code === 'ENOENT'
        ? 'does not exist: make it with `umask 077; openssl rand -hex 16 > <file>` (docs/osdp.md, "In the cabinet")'
        : `cannot be read: ${err.code ?? err.message}`,
    refused: (why) => refused(file, why),
  })
    .toString('latin1')
    .replace(/\r?\n$/, '');
  if (!/^[0-9a-fA-F]{32}$/.test(text)) throw refused(file, MALFORMED);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

function refused(file: string, why: string): KeywardenError {
  return new KeywardenError('CONFIG_INVALID', `readers.osdpKeyFile ${file} ${why}`);
}
