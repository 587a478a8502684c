import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import { outputsOf } from '../../src/platform/last-good-outputs.js';
import { waitFor } from '../support/wait-for.js';
import { BootedRoot } from './booted-root.js';
import { DebianRoot, type RunResult } from './debian-root.js';
import { FakeSysClass } from './fake-sys-class.js';

/*
 * The shipped units under a real systemd: a Debian 12 root where systemd/install.sh ran, booted
 * with systemd as PID 1 by systemd-nspawn, as a Pi boots its card. The unit files are the
 * installed ones, unedited, with no drop-in but the installer's own (node.conf).
 */
const SOURCE = join(import.meta.dirname, '../..');
const WEB_PORT = 18_443;
const PI_OUTPUTS = outputsOf(loadProfile('rpi-8slot', join(SOURCE, 'hardware')));
const CUSTODIAN = '--config /etc/keywarden-custodian.json';

let root: DebianRoot;
let sysClass: FakeSysClass;
let booted: BootedRoot | undefined;
let installed: RunResult;
const figures: Record<string, string> = {};

/**
 * The daemon's config as a site completes the installer's skeleton: a broker (none listens
 * there: the cabinet works without one), the custodian socket and its accounts.
 */
function siteConfig(profile: string): string {
  const skeleton = JSON.parse(root.read('etc/keywarden/config.json')) as Record<string, unknown>;
  return JSON.stringify({
    ...skeleton,
    profile,
    mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
    custodians: {
      socket: '/run/keywarden/custodian.sock',
      socketGroup: 'keywarden-custodians',
      accounts: {
        keywarden: { account: 'operator', role: 'admin' },
        carol: { account: 'carol', role: 'custodian' },
        'keywarden-web': { account: 'web-console', role: 'custodian', delegate: true },
      },
    },
  });
}

/** What a custodian's command line reads (readable by all: no secret, only where the socket is). */
const CUSTODIAN_CONFIG = JSON.stringify({
  version: 1,
  cabinetId: 'nspawn',
  profile: 'sim',
  database: '/var/lib/keywarden/cabinet.db',
  custodians: { socket: '/run/keywarden/custodian.sock' },
});

/** The console's own config (docs/web.md); plain HTTP is allowed on loopback only. */
const WEB_CONFIG = JSON.stringify({
  version: 1,
  cabinetId: 'nspawn',
  profile: 'sim',
  custodians: { socket: '/run/keywarden/custodian.sock' },
  web: { host: '127.0.0.1', port: WEB_PORT, accountsDatabase: '/var/lib/keywarden-web/web.db' },
});

/**
 * Run as the daemon, from inside its unit: a shell moved into the unit's cgroup (its device
 * policy), joined to the daemon's mount namespace (its read-only and hidden paths) under its
 * user and groups. Each line says what an attempt gave.
 */
const PROBE = `
try() { local what=$1; shift; if out=$( { "$@"; } 2>&1 ); then echo "$what: ok"; else echo "$what: \${out##*: }"; fi; }
try "write its state directory" sh -c 'echo x > /var/lib/keywarden/probe && rm /var/lib/keywarden/probe'
try "write the GPIO" sh -c 'echo 0 > /sys/class/gpio/gpio${512 + 17}/value'
try "open its serial port" sh -c 'exec 3<>/dev/ttyS0'
try "open another device" sh -c 'exec 3<>/dev/keywarden-other'
try "write /opt/keywarden" sh -c 'echo x > /opt/keywarden/probe'
try "write /etc" sh -c 'echo x > /etc/keywarden/probe'
try "write /home" sh -c 'echo x > /home/carol/probe'
try "read /root" ls /root
`;

async function ok(command: string): Promise<string> {
  const result = await (booted ?? root).run(command);
  if (result.status !== 0) {
    throw new Error(`${command}: exit ${result.status}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function daemon(): Promise<Record<string, string>> {
  return booted!.show('keywarden.service', [
    'ActiveState',
    'SubState',
    'MainPID',
    'NRestarts',
    'Result',
  ]);
}

/** Until the daemon has said READY=1 (active, running) with a main process other than `not`. */
async function untilReady(not = '0', timeoutMs = 90_000): Promise<Record<string, string>> {
  let state: Record<string, string> = {};
  await waitFor(
    async () => {
      state = await daemon();
      return (
        state.ActiveState === 'active' && state.SubState === 'running' && state.MainPID !== not
      );
    },
    'keywarden.service active (running)',
    timeoutMs,
  );
  return state;
}

function journal(unit: string): Promise<string> {
  return ok(`journalctl -b -u ${unit} -o cat --no-pager`);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

beforeAll(async () => {
  const started = Date.now();
  root = await DebianRoot.create(SOURCE);
  // Plain Debian has no gpio group, which the unit's SupplementaryGroups names: the installer
  // makes it, so nothing is made here for it. carol is a custodian's own login.
  await ok('useradd --create-home carol');
  installed = await root.run('cd /src && systemd/install.sh --node-source npm --profile sim');
  figures.install = `${Math.round((Date.now() - started) / 1000)} s`;
  if (installed.status !== 0) return;
  await ok('usermod -aG keywarden-custodians carol');
  writeFileSync(join(root.dir, 'etc/keywarden/config.json'), siteConfig('sim'));
  writeFileSync(join(root.dir, 'etc/keywarden-custodian.json'), CUSTODIAN_CONFIG, { mode: 0o644 });
  writeFileSync(join(root.dir, 'etc/keywarden/web.json'), WEB_CONFIG, { mode: 0o640 });
  writeFileSync(join(root.dir, 'usr/local/lib/keywarden-probe.sh'), PROBE, { mode: 0o644 });
  await ok('chown root:keywarden-web /etc/keywarden/web.json');
  sysClass = new FakeSysClass(Number(/^gpio:x:(\d+):/m.exec(root.read('etc/group'))?.[1]));
  const boot = Date.now();
  booted = await BootedRoot.boot(root, { binds: [`${sysClass.dir}:/sys/class`] });
  figures.boot = `${Date.now() - boot} ms`;
});

afterAll(async () => {
  await booted?.poweroff();
  root?.close();
  sysClass?.close();
  console.log(`unit-under-systemd figures: ${JSON.stringify(figures)}`);
});

describe('keywarden.service under systemd as PID 1 (systemd-nspawn)', () => {
  it('was installed and enabled by systemd/install.sh: the daemon reaches READY at boot', async () => {
    expect(installed.status, installed.stderr.slice(-3000)).toBe(0);
    expect(await untilReady()).toMatchObject({ NRestarts: '0' });
    // Type=notify: `systemctl restart` returns once READY=1 has come.
    const restart = Date.now();
    await ok('systemctl restart keywarden.service');
    figures.restartToReady = `${Date.now() - restart} ms`;
    expect(await daemon()).toMatchObject({ ActiveState: 'active', SubState: 'running' });
    expect(await journal('keywarden')).toMatch(/cabinet ready/);
  });

  it("runs its main thread at the unit's nice -10 and returns its helper threads to 0 (setpriority allowed)", async () => {
    const { MainPID } = await untilReady();
    // Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command name's ')'.
    const listed = await ok(
      `for t in /proc/${MainPID}/task/*; do ` +
        `echo "$(basename $t) $(cut -d')' -f2- $t/stat | awk '{print $17}')"; done`,
    );
    const nice = new Map(
      listed
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number) as [number, number]),
    );
    expect(nice.get(Number(MainPID))).toBe(-10);
    const helpers = [...nice].filter(([thread]) => thread !== Number(MainPID));
    expect(helpers.length).toBeGreaterThan(0);
    expect(
      helpers.every(([, value]) => value === 0),
      listed,
    ).toBe(true);
    expect(await journal('keywarden')).not.toMatch(/could not return the helper threads/);
  });

  it('answers the command line beside it, as a custodian and as the keywarden user', async () => {
    await untilReady();
    const added = await ok(
      `runuser -u carol -- keywarden holder add --name "Dana Smith" ${CUSTODIAN}`,
    );
    expect(added).toMatch(/^holder \d+ added: Dana Smith$/m);
    expect(await ok(`runuser -u carol -- keywarden holder list ${CUSTODIAN}`)).toMatch(
      /Dana Smith/,
    );
    const events = await ok('runuser -u keywarden -- keywarden events');
    expect(events).toMatch(/holder\.added +by=custodian:carol .*name=Dana Smith/);
    // The socket reached the custodians' group (chown, allowed again in the syscall filter).
    expect(await ok('stat -c "%U:%G %a" /run/keywarden/custodian.sock')).toBe(
      'keywarden:keywarden-custodians 660\n',
    );
  });

  it('reaches its state, serial port and GPIO from inside its sandbox, and nothing else', async () => {
    const { MainPID } = await untilReady();
    // A Pi's UART (char-ttyS, allowed) and a device of a class the unit does not allow (misc).
    await ok(
      'mknod -m 0660 /dev/ttyS0 c 4 64 && chgrp dialout /dev/ttyS0 && ' +
        'mknod -m 0666 /dev/keywarden-other c 10 200',
    );
    const probe = await ok(
      'echo $$ > /sys/fs/cgroup/system.slice/keywarden.service/cgroup.procs && ' +
        `exec nsenter -t ${MainPID} -m -- setpriv --reuid=keywarden --regid=keywarden ` +
        '--init-groups --no-new-privs -- bash /usr/local/lib/keywarden-probe.sh',
    );
    expect(probe.trim().split('\n')).toEqual([
      'write its state directory: ok',
      'write the GPIO: ok',
      'open its serial port: ok',
      'open another device: Operation not permitted',
      'write /opt/keywarden: Read-only file system',
      'write /etc: Read-only file system',
      'write /home: Permission denied',
      'read /root: Permission denied',
    ]);
    const security = await ok('systemd-analyze security --no-pager keywarden.service');
    const exposure = /Overall exposure level for keywarden\.service: (\d+\.\d+)/.exec(security);
    figures.exposure = exposure?.[1] ?? 'none';
    // 1.9 before `SystemCallFilter=setpriority`: systemd-analyze counts @resources as open once
    // one of its calls is allowed again, though without capabilities it can only lower a priority.
    expect(Number(exposure?.[1])).toBeLessThanOrEqual(2.1);
  });

  it('is aborted by the watchdog when stopped (kill -STOP), restarted, and READY again', async () => {
    const before = await untilReady();
    const stoppedAt = Date.now();
    await ok(`kill -STOP ${before.MainPID}`);
    // Pings come every 10 s and WatchdogSec is 20 s: the abort comes 10 to 20 s after the
    // stop, then RestartSec=2s and a start.
    const after = await untilReady(before.MainPID, 120_000);
    figures.watchdogStopToReady = `${Date.now() - stoppedAt} ms`;
    expect(Number(after.NRestarts)).toBe(Number(before.NRestarts) + 1);
    const log = await journal('keywarden');
    expect(log).toMatch(/keywarden\.service: Watchdog timeout \(limit 20s\)!/);
    expect(log).toMatch(/keywarden\.service: Killing process \d+ \(node\) with signal SIGABRT/);
    expect(log).toMatch(/restart counter is at 1\./);
    // ExecStopPost ran after the abort too (the simulated profile has nothing to drive).
    expect(log).toMatch(/Failed with result 'watchdog'/);
    expect(log).toMatch(/sim-12: simulated GPIO, nothing to drive/);
  });

  it("drives every output of a Pi profile off in ExecStopPost, under the unit's sandbox", async () => {
    await untilReady();
    sysClass.allOn();
    // The profile edited (validly) to the Pi's while the daemon ran: outputs-off drives the
    // pins of the profile as it reads now, through the onoff driver and /sys/class/gpio.
    writeFileSync(join(root.dir, 'etc/keywarden/config.json'), siteConfig('rpi-8slot'));
    try {
      await ok('systemctl stop keywarden.service');
      expect(await journal('keywarden')).toMatch(/rpi-8slot: every output driven off/);
      const levels = PI_OUTPUTS.map((pin) => `${pin.name}=${sysClass.value(pin.bcm)}`);
      expect(levels).toEqual(PI_OUTPUTS.map((pin) => `${pin.name}=0`));
      // The inputs (slot 1's key switch, the door sensor) are not driven.
      expect([sysClass.value(4), sysClass.value(19)]).toEqual(['1', '1']);
    } finally {
      // The simulated cabinet again for what follows, whatever happened above.
      writeFileSync(join(root.dir, 'etc/keywarden/config.json'), siteConfig('sim'));
      await booted!.run(
        'systemctl reset-failed keywarden.service; systemctl start keywarden.service',
      );
    }
  });

  it('keywarden-web.service (not enabled by the installer) starts, READY, serving on its port', async () => {
    await untilReady();
    expect((await booted!.run('systemctl is-enabled keywarden-web.service')).stdout).toBe(
      'disabled\n',
    );
    await ok('systemctl start keywarden-web.service');
    expect(await booted!.show('keywarden-web.service', ['ActiveState', 'SubState'])).toEqual({
      ActiveState: 'active',
      SubState: 'running',
    });
    const page = await ok(`curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:${WEB_PORT}/`);
    expect(page).toBe('200');
    await ok('systemctl stop keywarden-web.service');
  });
});

describe('on a read-only root, with the state on a writable partition', () => {
  let state: string;
  let webState: string;
  let rootDatabase: string;
  /** The holders the copied database had when it reached the partition. */
  let copiedHolders: string[];

  beforeAll(async () => {
    await booted?.poweroff();
    booted = undefined;
    // The data partition, as a Pi mounts it at /var/lib/keywarden; the console's state too.
    state = mkdtempSync(join(tmpdir(), 'keywarden-data-'));
    webState = mkdtempSync(join(tmpdir(), 'keywarden-web-data-'));
    // `${dir}/.`, not join(dir, '.'): join drops the "/.", and cp then copies the directory
    // itself into the partition (state/keywarden/), where the daemon never looks.
    const copy = spawnSync('cp', ['-a', `${join(root.dir, 'var/lib/keywarden')}/.`, state]);
    if (copy.status !== 0) throw new Error(`cp: ${copy.stderr.toString()}`);
    rootDatabase = sha256(join(root.dir, 'var/lib/keywarden/cabinet.db'));
    const copied = new BetterSqlite3(join(state, 'cabinet.db'), { readonly: true });
    try {
      copiedHolders = copied
        .prepare('SELECT name FROM holders ORDER BY id')
        .all()
        .map((row) => (row as { name: string }).name);
    } finally {
      copied.close();
    }
    // The mount points, as a Pi's fstab has them: nspawn cannot make them on a read-only root.
    mkdirSync(join(root.dir, 'var/lib/keywarden-web'), { recursive: true });
    booted = await readOnlyBoot();
  });

  afterAll(async () => {
    // Off before its partition goes: the container still has it bound.
    await booted?.poweroff();
    booted = undefined;
    rmSync(state, { recursive: true, force: true });
    rmSync(webState, { recursive: true, force: true });
  });

  function readOnlyBoot(): Promise<BootedRoot> {
    return BootedRoot.boot(root, {
      readOnly: true,
      binds: [
        `${state}:/var/lib/keywarden`,
        `${webState}:/var/lib/keywarden-web`,
        `${sysClass.dir}:/sys/class`,
      ],
    });
  }

  it('starts, records into the database on the partition, and keeps it across a restart', async () => {
    expect(await ok('touch /opt/probe 2>&1 || true')).toMatch(/Read-only file system/);
    await untilReady();
    await ok(`runuser -u carol -- keywarden holder add --name "Erin Ro" ${CUSTODIAN}`);
    await ok('systemctl restart keywarden.service');
    await untilReady();
    // Every holder the copied database had (Dana, added on the writable root) is still there,
    // and the one added on the partition; and their events.
    expect(copiedHolders).toContain('Dana Smith');
    const holders = await ok(`runuser -u carol -- keywarden holder list ${CUSTODIAN}`);
    for (const name of [...copiedHolders, 'Erin Ro']) expect(holders).toContain(name);
    const events = await ok('runuser -u keywarden -- keywarden events --limit 1000');
    expect(events).toMatch(/name=Dana Smith/);
    expect(events).toMatch(/name=Erin Ro/);
    // Nothing it needed was on the root: its own copy there is untouched.
    expect(sha256(join(root.dir, 'var/lib/keywarden/cabinet.db'))).toBe(rootDatabase);
    expect(sha256(join(state, 'cabinet.db'))).not.toBe(rootDatabase);
    expect(await journal('keywarden')).not.toMatch(/read-only file system|EROFS/i);
  });

  it('comes back after a reboot with the events, and the console starts there too', async () => {
    await booted?.poweroff();
    booted = await readOnlyBoot();
    await untilReady();
    expect(await ok('runuser -u keywarden -- keywarden events --limit 1000')).toMatch(
      /name=Erin Ro/,
    );
    await ok('systemctl start keywarden-web.service');
    expect(await ok(`curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:${WEB_PORT}/`)).toBe(
      '200',
    );
  });
});
