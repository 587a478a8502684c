import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { runCli } from '../support/run-cli.js';

/**
 * The command line while the daemon runs: every command goes through the daemon's custodian
 * socket (the daemon logs each change it carries out) and prints what it printed when it opened
 * the database itself, names next to ids included.
 */
let daemon: DaemonProcess;
let files: ReturnType<typeof writeCabinetFiles>;

const cli = (...args: string[]) => runCli([...args, '--config', files.configFile]);

beforeAll(async () => {
  files = writeCabinetFiles({
    cabinetId: 'through-cab',
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
});

describe('custodian commands through the running daemon', () => {
  it('changes, listings with names, reports and imports, each change carried out by the daemon', async () => {
    expect(await cli('holder', 'add', '--name', 'Dana Smith')).toMatchObject({
      code: 0,
      out: 'holder 1 added: Dana Smith',
    });
    expect(
      await cli('key', 'add', '--tag', 'A000000011', '--slot', '3', '--label', 'Store B'),
    ).toMatchObject({ code: 0 });
    expect(await cli('permission', 'grant', '--holder', '1', '--slot', '3')).toMatchObject({
      code: 0,
    });
    const shown = await cli('holder', 'show', '1');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('slots:         slot 3 (Store B)');

    const csv = join(files.dir, 'people.csv');
    writeFileSync(
      csv,
      'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\nE-1,Eve Example,1,,,\n',
    );
    expect(await cli('import', 'holders', csv)).toMatchObject({
      code: 0,
      out: 'imported holders: 1 row, 1 changes written, 0 already in the records',
    });
    const report = await cli('report', 'access-matrix', '--format', 'csv');
    expect(report.code).toBe(0);
    expect(report.out).toContain('Dana Smith');

    // The daemon's log reaches the test a moment after the answer: wait for the last change.
    await daemon.waitForLog((l) => l.msg === 'custodian change' && l.op === 'csv.import');
    const changes = daemon.logs
      .filter((l) => l.msg === 'custodian change')
      .map((l) => [l.account, l.op]);
    expect(changes).toEqual([
      ['carol', 'holders.add'],
      ['carol', 'keys.add'],
      ['carol', 'grants.add'],
      ['carol', 'csv.import'],
    ]);
  });

  it("answers with the application's own refusals, as the command line always printed them", async () => {
    const missing = await cli('holder', 'disable', '99');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('keywarden holder disable: no holder with id 99');
  });
});
