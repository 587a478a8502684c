import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebianRoot } from './debian-root.js';
import {
  expectDaemonStartsAndRecords,
  expectInstalled,
  expectWorkingCommandLine,
  FIRST_INSTALL,
} from './installed-checks.js';

const SOURCE = join(import.meta.dirname, '../..');
let root: DebianRoot;
let first: { status: number; stdout: string; stderr: string };

beforeAll(async () => {
  root = await DebianRoot.create(SOURCE);
  first = await root.run(FIRST_INSTALL);
});
afterAll(() => root?.close());

describe('systemd/install.sh in a fresh Debian 12 root', () => {
  it('installs, and says what to do next', () => {
    expectInstalled(first);
  });

  it('builds as a throwaway user, not keywarden, and removes that user after', async () => {
    // The daemon's user (whose daemon may be running during an upgrade) never builds what root
    // later runs: the build has a user of its own, in no group but its own, in a directory only
    // that user and root can reach.
    expect(first.stdout).toMatch(
      /^build user: keywarden-build \(groups: keywarden-build\), in \/opt\/keywarden\.new \(keywarden-build:keywarden-build 700\)$/m,
    );
    expect((await root.run('id keywarden-build')).status).not.toBe(0);
    expect((await root.run('getent group keywarden-build')).status).not.toBe(0);
  });

  it('leaves nothing in the program writable by anyone but root, and no setuid file', async () => {
    expect((await root.run('find /opt/keywarden -perm /022 ! -type l | head -3')).stdout).toBe('');
    expect(
      (await root.run('find /opt/keywarden ! -user root -o ! -group root | head -3')).stdout,
    ).toBe('');
    expect((await root.run('find /opt/keywarden -perm /6000 ! -type l | head -3')).stdout).toBe('');
    expect((await root.run('stat -c "%U:%G %a" /opt/keywarden')).stdout).toBe('root:root 755\n');
  });

  it('gives a working command line, as the keywarden user, on the node it installed', async () => {
    await expectWorkingCommandLine(root);
  });

  it('makes the users, groups and directories with their modes', async () => {
    expect((await root.run('id -nG keywarden')).stdout.trim().split(' ').sort()).toEqual(
      ['dialout', 'gpio', 'keywarden', 'keywarden-custodians'].sort(),
    );
    expect((await root.run('getent passwd keywarden')).stdout).toMatch(
      /:\/var\/lib\/keywarden:\/usr\/sbin\/nologin$/m,
    );
    expect(
      (
        await root.run(
          'stat -c "%U:%G %a" /etc/keywarden /var/lib/keywarden /etc/keywarden/config.json',
        )
      ).stdout,
    ).toBe('root:keywarden 751\nkeywarden:keywarden 750\nroot:keywarden 640\n');
    // The program belongs to root: the daemon's user cannot change its own code.
    expect((await root.run('find /opt/keywarden ! -user root | head -3')).stdout).toBe('');
  });

  it('writes the config skeleton and the udev rule for the readers it was given', () => {
    const config = JSON.parse(root.read('etc/keywarden/config.json')) as Record<string, unknown>;
    expect(config).toMatchObject({
      version: 1,
      profile: 'sim',
      database: '/var/lib/keywarden/cabinet.db',
      readers: { badgePath: '/dev/keywarden-badge' },
    });
    const rules = root.read('etc/udev/rules.d/99-keywarden.rules');
    expect(rules).toContain(
      'SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", SYMLINK+="keywarden-badge"',
    );
    expect(rules).toMatch(/^# fob: /m);
  });

  it('enables the unit, pointed at the node it installed', async () => {
    expect(root.list('etc/systemd/system/multi-user.target.wants')).toContain('keywarden.service');
    const dropIn = root.read('etc/systemd/system/keywarden.service.d/node.conf');
    expect(dropIn).toMatch(/^ExecStart=$/m);
    expect(dropIn).toMatch(/^ExecStart=\/opt\/keywarden-node\/bin\/node --max-semi-space-size=2/m);
    expect(dropIn).toMatch(/^ExecStopPost=\/opt\/keywarden-node\/bin\/node .* outputs-off$/m);
    const verify = await root.run(
      'systemd-analyze verify --man=no /etc/systemd/system/keywarden.service',
    );
    expect(verify.stderr).not.toMatch(/Unknown|Invalid|Missing/);
  });

  it('runs the daemon on the simulated cabinet as the keywarden user, recording its run', async () => {
    await expectDaemonStartsAndRecords(root, 120);
  });

  it('refuses a wrong option before changing anything', async () => {
    const bad = await root.run('cd /src && systemd/install.sh --badge-usb 1a86-7523');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--badge-usb: '1a86-7523' is not vid:pid/);
    expect(root.read('etc/udev/rules.d/99-keywarden.rules')).toContain('1a86');
  });

  it('refuses an ARMv6 Pi (a 32-bit Raspberry Pi OS on a Pi 1 or Zero) before changing anything', async () => {
    // No ARMv6 machine here: dpkg and uname answer as on one. Node 20 has no build for ARMv6.
    const pi1 = '/tmp/armv6-pi';
    await root.run(
      `mkdir -p ${pi1} && printf '#!/bin/sh\\necho armhf\\n' >${pi1}/dpkg && ` +
        `printf '#!/bin/sh\\necho armv6l\\n' >${pi1}/uname && chmod 755 ${pi1}/*`,
    );
    const before = root.read('usr/local/bin/keywarden');
    const refused = await root.run('cd /src && systemd/install.sh --node-source npm', {
      PATH: `${pi1}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /this CPU is ARMv6 \(Raspberry Pi 1 or Zero\): Node\.js 20 has no build/,
    );
    expect(root.read('usr/local/bin/keywarden')).toBe(before);
  });

  it('runs again as an upgrade: the config and the database stay, nothing is duplicated', async () => {
    const config = root.read('etc/keywarden/config.json');
    // A world-writable file and directory in the source do not stay writable once installed.
    await root.run('chmod 0666 /src/README.md && chmod 0777 /src/docs');
    const again = await root.run('cd /src && systemd/install.sh --node-source npm');
    expect(again.status, again.stderr.slice(-3000)).toBe(0);
    expect(again.stdout).toMatch(/config: \/etc\/keywarden\/config.json exists, left as it is/);
    expect(root.read('etc/keywarden/config.json')).toBe(config);
    expect(root.exists('var/lib/keywarden/cabinet.db')).toBe(true);
    expect((await root.run('grep -c "^keywarden:" /etc/passwd')).stdout.trim()).toBe('1');
    expect(root.exists('opt/keywarden.old') || root.exists('opt/keywarden.new')).toBe(false);
    expect(again.stdout).toMatch(/^build user: keywarden-build /m);
    expect((await root.run('id keywarden-build')).status).not.toBe(0);
    expect(
      (await root.run('stat -c "%a" /opt/keywarden/README.md /opt/keywarden/docs')).stdout,
    ).toBe('644\n755\n');
    expect((await root.run('find /opt/keywarden -perm /022 ! -type l | head -3')).stdout).toBe('');
  });

  it('uninstalls, keeping the config and the database unless purged', async () => {
    const out = await root.run('/src/systemd/install.sh --uninstall');
    expect(out.status).toBe(0);
    expect(root.exists('opt/keywarden')).toBe(false);
    expect(root.exists('usr/local/bin/keywarden')).toBe(false);
    expect(root.exists('etc/systemd/system/keywarden.service')).toBe(false);
    expect(root.list('etc/systemd/system/multi-user.target.wants')).not.toContain(
      'keywarden.service',
    );
    expect(root.exists('etc/keywarden/config.json')).toBe(true);
    expect(root.exists('var/lib/keywarden/cabinet.db')).toBe(true);
    const purge = await root.run('/src/systemd/install.sh --uninstall --purge');
    expect(purge.status).toBe(0);
    expect(root.exists('etc/keywarden')).toBe(false);
    expect(root.exists('var/lib/keywarden')).toBe(false);
    expect((await root.run('id keywarden')).status).not.toBe(0);
  });
});
