import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KeywardenError } from '../errors.js';

/**
 * The OSDP demo's Secure Channel key (`npm run start:osdp`): the simulated reader and the
 * cabinet share it, and nobody has to make one to try the demo. The daemon never makes a key
 * file otherwise (src/config/osdp-key-file.ts says why), so this is the demo's own, by name:
 * `demo-osdp-key` beside the demo's database, not the `osdp-key` a cabinet reads. A run without
 * `--demo` never looks at it, and the demo never uses the config's `readers.osdpKeyFile`, so a
 * real cabinet's key and the demo's never meet.
 */
export const DEMO_OSDP_KEY_FILE = 'demo-osdp-key';

/** The demo key file's path, made (16 random bytes, 32 hex digits, mode 0600) if missing. */
export function demoOsdpKeyFile(database: string): string {
  if (database === ':memory:') {
    throw new KeywardenError(
      'CONFIG_INVALID',
      'database: the OSDP demo keeps its reader key beside its database file; an in-memory database has none',
    );
  }
  const file = join(dirname(database), DEMO_OSDP_KEY_FILE);
  let fd: number;
  try {
    // 'wx': never over an existing file (nor through a link someone left there); the key file
    // checks then read what is there, refusing it if it is loose.
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return file;
    throw err;
  }
  try {
    writeSync(fd, `${randomBytes(16).toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return file;
}
