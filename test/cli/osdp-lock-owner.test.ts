import { chownSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFileOf } from '../../src/daemon/cabinet-lock.js';
import { temporaryDir } from '../support/mosquitto-users.js';
import { fakeOsdpLink, runOsdpCommand, writeOsdpCabinet } from '../support/osdp-cli.js';
import { seedCabinet } from '../support/seed.js';

/** Not root: the daemon's user, who owns the state directory and the database. */
const DAEMON_UID = 4242;

const { link } = fakeOsdpLink();

describe('keywarden osdp status, run as root before the daemon ever ran', () => {
  it('leaves a lock file the daemon user can open (it is given to the database owner)', async () => {
    expect(process.getuid?.()).toBe(0);
    const dir = temporaryDir('keywarden-osdp-lock-');
    const state = join(dir, 'state');
    mkdirSync(state);
    const database = join(state, 'cabinet.db');
    seedCabinet(database, 'cab');
    chownSync(database, DAEMON_UID, DAEMON_UID);
    chownSync(state, DAEMON_UID, DAEMON_UID);
    const configFile = writeOsdpCabinet(dir, database, {
      readers: [{ address: 1, name: 'front' }],
      secure: 'off',
    });
    const { err } = await runOsdpCommand('status', ['--config', configFile], link);
    const lock = statSync(lockFileOf(database));
    expect([lock.uid, lock.gid], err.join('\n')).toEqual([DAEMON_UID, DAEMON_UID]);
  });
});
