import { createHash } from 'node:crypto';
import {
  chownSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireMaintenanceLock, lockFileOf, ownerFileOf } from '../../src/daemon/cabinet-lock.js';
import { restoreDatabase } from '../../src/maintenance/restore.js';
import { backupCabinet, backupTo } from '../support/backup-cabinet.js';

/** Not root: the daemon's user, who owns the state directory and the database. */
const DAEMON_UID = 4242;

/**
 * A stopped cabinet whose state directory belongs to the daemon's user, with a backup of it,
 * and a root-owned file outside the directory that user must never be handed. The tests run as
 * root, as the installer runs `keywarden restore`.
 */
async function cabinetOwnedByDaemon() {
  expect(process.getuid?.()).toBe(0);
  const site = backupCabinet('keywarden-restore-links-');
  const { dir, database } = site;
  const state = join(dir, 'state');
  const backup = await backupTo(site, join(dir, 'backup.db'));
  rmSync(lockFileOf(database), { force: true });
  rmSync(ownerFileOf(database), { force: true });
  for (const file of readdirSync(state)) chownSync(join(state, file), DAEMON_UID, DAEMON_UID);
  chownSync(state, DAEMON_UID, DAEMON_UID);
  const victim = join(dir, 'root-secret');
  writeFileSync(victim, 'root only\n', { mode: 0o600 });
  return { dir, state, database, backup, victim };
}

const bytesOf = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

describe('keywarden restore, run as root, never follows a link the daemon user plants', () => {
  it('refuses when the copy beside the database is swapped for a link to a root file', async () => {
    const site = await cabinetOwnedByDaemon();
    const before = bytesOf(site.database);
    let planted = false;
    expect(() =>
      restoreDatabase({
        database: site.database,
        cabinetId: 'cab-north',
        from: site.backup,
        otherCabinet: false,
        // The daemon's user, racing: the copy's name now points at root's file.
        copyPlaced: (temporary) => {
          rmSync(temporary);
          symlinkSync(site.victim, temporary);
          planted = true;
        },
      }),
    ).toThrow(
      /was replaced by another process while the backup was put in place; nothing was restored/,
    );
    expect(planted).toBe(true);
    const victim = statSync(site.victim);
    expect([victim.uid, victim.gid]).toEqual([0, 0]);
    expect(readFileSync(site.victim, 'utf8')).toBe('root only\n');
    expect(bytesOf(site.database)).toBe(before);
    expect(
      readdirSync(site.state).filter((f) => f.includes('restore') || f.includes('replaced')),
    ).toEqual([]);
  });

  it('gives the restored database and a lock file it made to the daemon user, by handle', async () => {
    const site = await cabinetOwnedByDaemon();
    const result = restoreDatabase({
      database: site.database,
      cabinetId: 'cab-north',
      from: site.backup,
      otherCabinet: false,
    });
    expect(result.replacedKeptAt).toBeDefined();
    expect(statSync(site.database).mode & 0o777).toBe(0o600);
    for (const file of [site.database, lockFileOf(site.database)]) {
      const { uid, gid } = statSync(file);
      expect([file, uid, gid]).toEqual([file, DAEMON_UID, DAEMON_UID]);
    }
  });

  it('refuses a lock file or an owner sidecar name planted as a link', async () => {
    const site = await cabinetOwnedByDaemon();
    symlinkSync(site.victim, lockFileOf(site.database));
    expect(() => acquireMaintenanceLock(site.database)).toThrow(
      /cabinet lock file is a symbolic link; move it away/,
    );
    rmSync(lockFileOf(site.database));
    // The sidecar is written through `<owner>.<pid>.tmp`: a link there is not followed.
    const sidecarTemporary = `${ownerFileOf(site.database)}.${process.pid}.tmp`;
    symlinkSync(site.victim, sidecarTemporary);
    const lock = acquireMaintenanceLock(site.database);
    lock.release();
    expect(readFileSync(site.victim, 'utf8')).toBe('root only\n');
    expect(lstatSync(sidecarTemporary, { throwIfNoEntry: false })).toBeUndefined();
    // The lock it created belongs to the daemon's user: the daemon can open it next.
    expect(statSync(lockFileOf(site.database)).uid).toBe(DAEMON_UID);
  });
});
