import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { seedCabinet } from '../support/seed.js';

/**
 * One daemon per cabinet (issue 9, item 1): a second `keywarden run` on the same database is
 * refused before it touches anything, a SIGKILLed daemon leaves nothing that blocks its
 * restart, and the custodian command line keeps working beside the daemon.
 */

const PROBE = join(import.meta.dirname, '..', 'support', 'module-load-probe.mjs');
const run = promisify(execFile);

let files: ReturnType<typeof writeCabinetFiles>;
let first: DaemonProcess;
const others: DaemonProcess[] = [];

beforeAll(async () => {
  files = writeCabinetFiles({
    cabinetId: 'single-cab',
    brokerUrl: 'mqtt://127.0.0.1:9', // the events are read from the database
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  seedCabinet(files.database, 'single-cab');
  first = new DaemonProcess(files.configFile);
  await first.start();
}, 30_000);

afterAll(async () => {
  await Promise.all([first, ...others].map((d) => d.stop()));
});

function lastSeq(): number {
  const db = new BetterSqlite3(files.database, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').get() as { seq: number })
      .seq;
  } finally {
    db.close();
  }
}

function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, ...args, '--config', files.configFile]);
}

it('refuses a second daemon on the same database: exit 75, names the holder, touches nothing', async () => {
  const seqBefore = lastSeq();
  const ownerBefore = readFileSync(`${files.database}.owner`, 'utf8');
  // The probe reports the first load of the MQTT and serial libraries in the second process.
  const second = new DaemonProcess(
    files.configFile,
    { KEYWARDEN_PROBE_MODULES: 'mqtt,serialport' },
    ['--import', PROBE],
  );
  others.push(second);

  await expect(second.start()).rejects.toThrow(/exited while starting \(75\)/);

  expect(second.exitCode).toBe(75);
  const said = second.logs.map((l) => l.msg).join('\n');
  expect(said).toContain(`the cabinet is already run by process ${first.pid}`);
  expect(said).toContain(`database ${files.database}`);
  expect(said).toMatch(/on host "[^"]+", since "\d{4}-\d\d-\d\dT/);
  // Nothing recorded, no output claimed, no broker session, the holder's record intact.
  expect(lastSeq()).toBe(seqBefore);
  expect(said).not.toContain('outputs claimed and off');
  expect(second.logs.filter((l) => l.msg === 'module loaded')).toEqual([]);
  expect(readFileSync(`${files.database}.owner`, 'utf8')).toBe(ownerBefore);
  expect(first.pid).toBeDefined();
}, 30_000);

it('lets the custodian command line work beside the running daemon', async () => {
  const added = await cli('holder', 'add', '--name', 'Beside The Daemon');
  expect(added.stderr).toBe('');
  const listed = await cli('holder', 'list');
  expect(listed.stdout).toContain('Beside The Daemon');
}, 30_000);

it("leaves a running daemon's outputs alone when outputs-off runs (systemd's ExecStopPost)", async () => {
  // A real-GPIO profile on the same database: were the lock ignored, outputs-off would try to
  // drive sysfs GPIO, which this machine lacks, and fail.
  const configFile = join(files.dir, 'onoff-config.json');
  const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(configFile, JSON.stringify({ ...config, profile: 'rpi-8slot' }));

  const { stdout } = await run(process.execPath, [CLI, 'outputs-off', '--config', configFile]);

  expect(stdout).toContain('outputs left to the running daemon');
  expect(stdout).toContain(`process ${first.pid}`);
}, 30_000);

it('takes the cabinet over at once after the daemon was killed with SIGKILL', async () => {
  const killedPid = first.pid;
  first.signal('SIGKILL');
  await first.exited();

  const restarted = new DaemonProcess(files.configFile);
  others.push(restarted);
  await restarted.start();

  expect(restarted.pid).toBeDefined();
  expect(restarted.pid).not.toBe(killedPid);
  const owner = JSON.parse(readFileSync(`${files.database}.owner`, 'utf8')) as { pid: number };
  expect(owner.pid).toBe(restarted.pid);
}, 30_000);
