import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MOSQUITTO_PASSWD = existsSync('/usr/bin/mosquitto_passwd')
  ? '/usr/bin/mosquitto_passwd'
  : 'mosquitto_passwd';

/**
 * A Mosquitto password file (for `password_file`) holding these users, written by
 * mosquitto_passwd itself so the hashes are the broker's own format. Removed when the process
 * ends.
 */
export function passwordFile(users: Record<string, string>): string {
  const entries = Object.entries(users);
  if (entries.length === 0) throw new Error('a password file needs at least one user');
  const file = join(temporaryDir('keywarden-passwd-'), 'passwd');
  entries.forEach(([user, password], i) => {
    // -c creates the file (first user only), -b takes the password from the command line.
    const args = i === 0 ? ['-c', '-b', file, user, password] : ['-b', file, user, password];
    execFileSync(MOSQUITTO_PASSWD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  });
  return file;
}

// --- Temporary directories, removed however the process ends ------------------------------
// Vitest ends fork workers with SIGTERM, which skips 'exit' handlers; as in mosquitto.ts, a
// signal handler removes them and then lets the signal take its normal course.

const dirs = new Set<string>();
let hooked = false;

/** A new directory under the system temp dir, removed when the process exits or is signalled. */
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        removeAll();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
  }
  return dir;
}

function removeAll(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}
