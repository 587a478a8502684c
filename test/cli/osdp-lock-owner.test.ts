import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { parseCommandArgs, type Command } from '../../src/cli/command.js';
import { osdpCommands } from '../../src/cli/commands/osdp.js';
import { lockFileOf } from '../../src/daemon/cabinet-lock.js';
import type { OsdpLink } from '../../src/daemon/osdp-link.js';
import { hardwareDir } from '../../src/paths.js';
import { FakeOsdpBus } from '../support/fake-osdp-bus.js';
import { temporaryDir } from '../support/mosquitto-users.js';
import { seedCabinet } from '../support/seed.js';

/** Not root: the daemon's user, who owns the state directory and the database. */
const DAEMON_UID = 4242;

const link: OsdpLink = {
  createOsdpBus: (options) => new FakeOsdpBus(options),
  connectBusToPort: () => () => undefined,
  portWriter: () => () => undefined,
};

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
    const profile = JSON.parse(readFileSync(join(hardwareDir(), 'sim.json'), 'utf8')) as {
      readers: Record<string, unknown>;
    };
    profile.readers.badge = {
      path: 'sim:badge',
      baudRate: 9600,
      protocol: 'osdp',
      osdp: { readers: [{ address: 1, name: 'front' }], secure: 'off' },
    };
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        version: 1,
        cabinetId: 'cab',
        profile: join(dir, 'profile.json'),
        database,
        mqtt: { allowPlainText: true },
      }),
    );
    const command = osdpCommands({
      link,
      factory: new SimPortRegistry().factory,
      onlineWaitMs: 20,
    }).find((c) => c.path[1] === 'status') as Command;
    const err: string[] = [];
    await command.run(parseCommandArgs(command, ['--config', configFile]), {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    const lock = statSync(lockFileOf(database));
    expect([lock.uid, lock.gid], err.join('\n')).toEqual([DAEMON_UID, DAEMON_UID]);
  });
});
