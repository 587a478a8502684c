import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireCabinetLock } from '../../src/daemon/cabinet-lock.js';
import type { DoctorMachine, ProgramOutcome } from '../../src/maintenance/doctor-machine.js';
import { formatCheck, type CheckResult } from '../../src/maintenance/doctor-report.js';
import { runDoctor } from '../../src/maintenance/doctor.js';
import { openDatabase } from '../../src/store/database.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { passwordFile, temporaryDir } from '../support/mosquitto-users.js';
import { runCli } from '../support/run-cli.js';
import { FakeGpioTools } from '../drivers/gpio/fake-gpio-tools.js';
import { layout } from '../drivers/gpio/pi-layouts.js';
import {
  startMosquittoWithListener,
  testCerts,
  tlsListener,
  type TestCerts,
  type TlsBroker,
} from '../support/tls-certs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MiB = 1024 * 1024;

/**
 * A misconfigured machine built in a temporary directory: an installer (uid 1234) in none of
 * the groups the profile needs, a badge reader it may not open, a fob reader unplugged, a
 * fake sysfs GPIO tree with one pin left exported, a database it cannot write, a nearly full
 * disk, a broker that refuses the password, a clock not synchronised, and a systemd service
 * without its sandbox.
 */
interface Site {
  dir: string;
  configFile: string;
  database: string;
  machine: DoctorMachine;
}

function buildSite(options: {
  brokerUrl: string;
  mqtt: Record<string, unknown>;
  healthy?: boolean;
  gpioDriver?: 'chardev';
  gpioTools?: FakeGpioTools;
}): Site {
  const dir = temporaryDir('keywarden-doctor-');
  const profile = JSON.parse(readFileSync(join(ROOT, 'hardware', 'rpi-8slot.json'), 'utf8')) as {
    gpio: { driver: string; chipLabels?: string[] };
    readers: { badge: { path: string }; fob: { path: string } };
  };
  const badge = join(dir, 'ttyAMA0');
  writeFileSync(badge, '');
  chmodSync(badge, 0o660); // owned by the test's user and group, not the installer's
  profile.readers.badge.path = badge;
  profile.readers.fob.path = join(dir, 'ttyUSB-unplugged');
  if (options.gpioDriver) profile.gpio.driver = options.gpioDriver;
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));

  const sysfs = join(dir, 'sys-class-gpio');
  mkdirSync(join(sysfs, 'gpiochip512'), { recursive: true });
  writeFileSync(join(sysfs, 'gpiochip512', 'base'), '512\n');
  writeFileSync(join(sysfs, 'gpiochip512', 'label'), 'pinctrl-bcm2711\n');
  writeFileSync(join(sysfs, 'gpiochip512', 'ngpio'), '58\n');
  writeFileSync(join(sysfs, 'export'), '');
  chmodSync(join(sysfs, 'export'), 0o660);

  const database = join(dir, 'state', 'cabinet.db');
  openDatabase(database).close();
  chmodSync(database, 0o444);

  const configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      cabinetId: 'doctor-cab',
      profile: join(dir, 'profile.json'),
      database,
      mqtt: { url: options.brokerUrl, ...options.mqtt },
    }),
  );
  const status = join(dir, 'status');
  writeFileSync(status, 'Name:\tnode\nNoNewPrivs:\t0\nSeccomp:\t0\n');
  const machine: DoctorMachine = {
    user: { name: 'installer', uid: 1234, gids: [1234] },
    groupName: (gid) =>
      ({ 0: 'root', 1234: 'installer', 20: 'dialout', 997: 'gpio' })[gid] ?? `group${gid}`,
    sysfsGpio: sysfs,
    timesyncFlag: join(dir, 'run-systemd-timesync-synchronized'),
    procStatus: status,
    env: { INVOCATION_ID: 'abc' },
    run: (command): ProgramOutcome =>
      command === 'timedatectl' ? { missing: false, code: 0, stdout: 'no\n' } : { missing: true },
    statfs: () => ({ freeBytes: 10 * MiB, totalBytes: 29_000 * MiB }),
    brokerTimeoutMs: 5_000,
    gpioTools: options.gpioTools ?? new FakeGpioTools(layout('Pi 4, kernel 6.6')),
  };
  return { dir, configFile, database, machine };
}

/**
 * A server certificate for 127.0.0.1 signed by the test CA that expired in 2020: `openssl ca`
 * is the one openssl 3.0 command that takes explicit validity dates.
 */
function expiredServerCert(certs: TestCerts): { cert: string; key: string } {
  const dir = temporaryDir('keywarden-expired-');
  const file = (name: string): string => join(dir, name);
  writeFileSync(
    file('ca.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      '[ca]',
      'default_ca = this',
      '[this]',
      `database = ${file('index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${file('serial')}`,
      'default_md = sha256',
      'policy = any',
      '[any]',
      'commonName = supplied',
      '[server]',
      'basicConstraints = critical, CA:false',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), '01\n');
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl(
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    file('server.key'),
  );
  openssl(
    'req',
    '-new',
    '-config',
    file('ca.cnf'),
    '-key',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  openssl(
    'ca',
    '-batch',
    '-notext',
    '-config',
    file('ca.cnf'),
    '-cert',
    certs.ca,
    '-keyfile',
    join(certs.dir, 'ca.key'),
    '-in',
    file('server.csr'),
    '-out',
    file('server.crt'),
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
    '-extensions',
    'server',
  );
  return { cert: file('server.crt'), key: file('server.key') };
}

const lineOf = (results: CheckResult[], check: string): string => {
  const found = results.filter((r) => r.check === check);
  expect(found, `one "${check}" line`).toHaveLength(1);
  return formatCheck(found[0] as CheckResult);
};

describe('keywarden doctor on a misconfigured machine', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startMosquitto({
      extraConfig: `password_file ${passwordFile({ 'doctor-cab': 'right-password' })}\nallow_anonymous false`,
    });
  });
  afterAll(() => broker.stop());

  it('on the chardev driver, asks libgpiod for the chip and names a line another program holds', async () => {
    const pi5 = layout('Pi 5, kernel 6.6.47 and later');
    const tools = new FakeGpioTools(pi5);
    tools.hold(pi5.header.dev, 17, 'gpio-fan');
    const site = buildSite({
      brokerUrl: broker.url,
      mqtt: { allowPlainText: true, username: 'doctor-cab', password: 'right-password' },
      gpioDriver: 'chardev',
      gpioTools: tools,
    });
    const lines = (await runDoctor({ configFile: site.configFile, machine: site.machine }))
      .map(formatCheck)
      .filter((line) => /^\S+ +gpio( pins)?:/.test(line));
    expect(lines[0]).toMatch(
      /ok .*header chip gpiochip0 "pinctrl-rp1" \(driver chardev, libgpiod 2\.x\)/,
    );
    expect(lines.join('\n')).toMatch(/FAIL .*BCM 17\) is held by 'gpio-fan'.*free it/);
    // Not the sysfs driver's complaints: chardev does not need /sys/class/gpio/export.
    expect(lines.join('\n')).not.toMatch(/export/);
  });

  it('names every fault with its fix, one line each', async () => {
    const site = buildSite({
      brokerUrl: broker.url,
      mqtt: { allowPlainText: true, username: 'doctor-cab', password: 'wrong-password' },
    });
    // One pin left exported by some other program, no daemon running.
    mkdirSync(join(site.machine.sysfsGpio, `gpio${512 + 17}`));
    const results = await runDoctor({ configFile: site.configFile, machine: site.machine });
    const lines = results.map(formatCheck);

    expect(lineOf(results, 'config')).toMatch(/^ok {4}config: .*valid \(cabinet doctor-cab\)/);
    expect(lineOf(results, 'groups')).toBe(
      "FAIL  groups: installer is not in dialout, gpio, which the profile's serial readers and sysfs GPIO pins need. " +
        "Fix: sudo usermod -aG dialout,gpio installer, then log in again (the service gets them from the unit's SupplementaryGroups=)",
    );
    expect(lineOf(results, 'badge reader')).toMatch(
      /^FAIL {2}badge reader: .*ttyAMA0 is not readable and writable by installer \(mode 660, group \w+\)\. Fix: give the device to group dialout \(mode 0660\) with a udev rule/,
    );
    expect(lineOf(results, 'fob reader')).toMatch(
      /^FAIL {2}fob reader: .*ttyUSB-unplugged does not exist\. Fix: plug the fob reader in, or set readers\.fob\.path in .*profile\.json/,
    );
    expect(lineOf(results, 'gpio')).toMatch(
      /^ok {4}gpio: header chip gpiochip512 "pinctrl-bcm2711", base 512/,
    );
    expect(lineOf(results, 'gpio export')).toMatch(
      /^FAIL {2}gpio export: .*export is not writable by installer\. Fix: sudo usermod -aG gpio installer/,
    );
    expect(lineOf(results, 'gpio pins')).toMatch(
      /^warn {2}gpio pins: exported with no daemon running: \S+ \(BCM 17, gpio529\)\. Fix: stop the program using them/,
    );
    expect(lineOf(results, 'database')).toMatch(
      /^FAIL {2}database: .*state and .*cabinet\.db are not writable by installer\. Fix: sudo chown -R installer: /,
    );
    expect(lineOf(results, 'database integrity')).toMatch(
      /^ok {4}database integrity: quick_check ok, schema version \d+ of \d+/,
    );
    expect(lineOf(results, 'disk space')).toMatch(
      /^FAIL {2}disk space: 10 MiB free of 29000 MiB on .*: too little to keep recording\. Fix: make room: /,
    );
    expect(lineOf(results, 'broker')).toMatch(
      /^FAIL {2}broker: mqtt:\/\/127\.0\.0\.1:\d+ refused the user name "doctor-cab" with its password .*Fix: set mqtt\.username and mqtt\.password /,
    );
    expect(lineOf(results, 'clock')).toBe(
      'FAIL  clock: not synchronised (timedatectl: NTPSynchronized=no). Fix: turn NTP on (sudo timedatectl set-ntp true) and let the machine reach an NTP server: every event carries the wall time',
    );
    expect(lineOf(results, 'hardening')).toMatch(
      /^FAIL {2}hardening: under systemd without the unit's sandbox: NoNewPrivs is 0, Seccomp is 0\. Fix: /,
    );
    expect(lineOf(results, 'daemon')).toMatch(/^warn {2}daemon: not running/);
    // Every FAIL carries its fix.
    for (const result of results.filter((r) => r.status === 'FAIL'))
      expect(result.fix).toBeTruthy();
    expect(lines.filter((l) => l.startsWith('FAIL'))).toHaveLength(9);
  });

  it("says which CA to set when the broker's certificate is signed by another one", async () => {
    const certs = testCerts();
    const tls: TlsBroker = await startMosquittoWithListener((port) =>
      tlsListener(port, certs, { requireCertificate: false }),
    );
    try {
      const site = buildSite({ brokerUrl: tls.tlsUrl, mqtt: { ca: certs.otherCa } });
      const results = await runDoctor({ configFile: site.configFile, machine: site.machine });
      expect(lineOf(results, 'broker')).toMatch(
        /^FAIL {2}broker: mqtts:\/\/127\.0\.0\.1:\d+: TLS refused the broker's certificate \(\w+: .*\)\. Fix: set mqtt\.ca to the CA that signed the broker's certificate \(now .*other-ca\.crt\)/,
      );
      const right = buildSite({ brokerUrl: tls.tlsUrl, mqtt: { ca: certs.ca } });
      const fixed = await runDoctor({ configFile: right.configFile, machine: right.machine });
      expect(lineOf(fixed, 'broker')).toMatch(
        /^ok {4}broker: mqtts:\/\/127\.0\.0\.1:\d+ accepted a connection/,
      );
    } finally {
      await tls.broker.stop();
    }
  });

  it("says to renew the certificate when the broker's has expired", async () => {
    const certs = testCerts();
    const expired = expiredServerCert(certs);
    const tls: TlsBroker = await startMosquittoWithListener((port) =>
      tlsListener(
        port,
        { ...certs, serverCert: expired.cert, serverKey: expired.key },
        {
          requireCertificate: false,
        },
      ),
    );
    try {
      const site = buildSite({ brokerUrl: tls.tlsUrl, mqtt: { ca: certs.ca } });
      const results = await runDoctor({ configFile: site.configFile, machine: site.machine });
      expect(lineOf(results, 'broker')).toMatch(
        /^FAIL {2}broker: mqtts:\/\/127\.0\.0\.1:\d+: TLS refused the broker's certificate \(CERT_HAS_EXPIRED: .*\)\. Fix: renew the expired certificate/,
      );
    } finally {
      await tls.broker.stop();
    }
  });

  it('says the clock is unknown when neither timedatectl nor the flag file answers, and ok with the flag', async () => {
    const site = buildSite({ brokerUrl: broker.url, mqtt: { allowPlainText: true } });
    const unknown = { ...site.machine, run: (): ProgramOutcome => ({ missing: true }) as const };
    const results = await runDoctor({ configFile: site.configFile, machine: unknown });
    expect(lineOf(results, 'clock')).toMatch(/^warn {2}clock: unknown: /);
    writeFileSync(site.machine.timesyncFlag, '');
    const synced = await runDoctor({ configFile: site.configFile, machine: unknown });
    expect(lineOf(synced, 'clock')).toMatch(/^ok {4}clock: synchronised \(.*present\)/);
    expect(lineOf(synced, 'hardening')).toMatch(/^FAIL/);
    const shell = { ...unknown, env: {} };
    expect(
      lineOf(await runDoctor({ configFile: site.configFile, machine: shell }), 'hardening'),
    ).toBe('ok    hardening: not under systemd (no systemctl answer): nothing to check.');
  });

  it('reports a running daemon from its lock without taking it', async () => {
    const site = buildSite({ brokerUrl: broker.url, mqtt: { allowPlainText: true } });
    const lock = acquireCabinetLock(site.database);
    try {
      mkdirSync(join(site.machine.sysfsGpio, `gpio${512 + 17}`));
      const results = await runDoctor({ configFile: site.configFile, machine: site.machine });
      expect(lineOf(results, 'daemon')).toMatch(
        new RegExp(`^ok {4}daemon: running: process ${process.pid} on host`),
      );
      expect(lineOf(results, 'gpio pins')).toMatch(
        /^ok {4}gpio pins: 1 of \d+ pins held by the running daemon/,
      );
    } finally {
      lock.release();
    }
  });

  it('names the config problem and still checks the clock when the config is invalid', async () => {
    const site = buildSite({ brokerUrl: broker.url, mqtt: { allowPlainText: true } });
    writeFileSync(site.configFile, JSON.stringify({ version: 1, cabinetId: 'x', database: 42 }));
    const results = await runDoctor({ configFile: site.configFile, machine: site.machine });
    expect(results.map((r) => r.check)).toEqual(['config', 'clock', 'hardening']);
    expect(lineOf(results, 'config')).toMatch(
      /^FAIL {2}config: .*database.*Fix: correct the fields named/,
    );
  });
});

describe('keywarden doctor from the command line', () => {
  it('exits 0 on a sound simulated cabinet, prints JSON with --json, and 1 with a FAIL', async () => {
    const broker = await startMosquitto();
    try {
      const dir = temporaryDir('keywarden-doctor-cli-');
      const configFile = join(dir, 'config.json');
      const config = {
        version: 1,
        cabinetId: 'doctor-cli',
        profile: 'sim',
        database: join(dir, 'cabinet.db'),
        mqtt: { url: broker.url, allowPlainText: true },
      };
      writeFileSync(configFile, JSON.stringify(config));
      const sound = await runCli(['doctor', '--config', configFile]);
      expect(sound.err).toBe('');
      expect(sound.out.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
      expect(sound.code).toBe(0);
      const json = await runCli(['doctor', '--json', '--config', configFile]);
      const parsed = JSON.parse(json.out) as CheckResult[];
      expect(parsed.find((r) => r.check === 'broker')?.status).toBe('ok');

      writeFileSync(configFile, JSON.stringify({ ...config, mqtt: { url: 'mqtt://127.0.0.1:1' } }));
      const refused = await runCli(['doctor', '--config', configFile]);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/FAIL {2}broker: mqtt:\/\/127\.0\.0\.1:1 is plain text/);
      const usage = await runCli(['doctor', '--jsn']);
      expect(usage.code).toBe(2);
      expect(usage.err).toMatch(/--jsn.*Did you mean --json\?/);
    } finally {
      await broker.stop();
    }
  });
});
