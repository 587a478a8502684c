import { chmodSync, chownSync, lstatSync, unlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { groupId } from '../../drivers/peer-credentials/peer-credentials.js';
import { KeywardenError } from '../errors.js';

/**
 * The custodian socket's place. Only a directory nobody else can write to is used: there,
 * nobody can swap the socket for a symlink between the daemon creating it and setting its mode,
 * or leave a file that the daemon would take for its own. Refused otherwise, at start-up, with
 * the reason (exit 78: the configuration must change).
 */
export function checkSocketDirectory(path: string): void {
  const dir = dirname(path);
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    throw invalid(
      `${dir}: ${(error as Error).message} (create it, or let systemd: RuntimeDirectory=keywarden)`,
    );
  }
  const me = process.getuid?.() ?? 0;
  if (!stat.isDirectory()) throw invalid(`${dir} is not a directory`);
  if (stat.uid !== me && stat.uid !== 0) {
    throw invalid(`${dir} belongs to uid ${stat.uid}: it must be the daemon's or root's`);
  }
  if ((stat.mode & 0o022) !== 0) {
    throw invalid(
      `${dir} is writable by others (mode ${(stat.mode & 0o777).toString(8)}): they could replace the socket`,
    );
  }
}

/**
 * What was left at the socket's path: nothing; a socket from a daemon that crashed (removed);
 * a socket some process still listens on (refused); anything else (a symlink, a file: refused,
 * never followed or removed).
 */
export async function clearStaleSocket(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) {
    throw invalid(
      `${path} exists and is not a socket (${stat.isSymbolicLink() ? 'a symlink' : 'a file'}): remove it, and find out who put it there`,
    );
  }
  if (await answers(path)) {
    throw new KeywardenError('CABINET_IN_USE', `${path}: another process listens on it`);
  }
  unlinkSync(path);
}

/** Mode 0660, and the configured group: the owner (the daemon) and that group may connect. */
export function restrictSocket(path: string, group: string | undefined): void {
  if (group !== undefined) {
    const gid = groupId(group);
    if (gid === null) throw invalid(`custodians.socketGroup: no group named ${group}`);
    chownSync(path, -1, gid);
  }
  chmodSync(path, 0o660);
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

const invalid = (message: string) =>
  new KeywardenError('CONFIG_INVALID', `custodians.socket: ${message}`);
