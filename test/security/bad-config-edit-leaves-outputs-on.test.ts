import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import { hardwareDir } from '../../src/paths.js';
import { outputsOf } from '../../src/platform/last-good-outputs.js';
import { CLI, DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';

/**
 * An operator edits the config (or the profile) badly while the daemon runs; the daemon then
 * crashes. systemd's ExecStopPost runs `outputs-off`, which used to load that same config and so
 * failed, leaving whatever coil the crash left energised on. Now it drives off the pins the
 * daemon listed at its last good start, and says it did.
 */
describe('a bad config edit no longer keeps ExecStopPost from driving the outputs off', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function cabinetThatRanOnce(cabinetId: string) {
    const files = writeCabinetFiles({
      cabinetId,
      brokerUrl: 'mqtt://127.0.0.1:1',
      badgePath: 'sim:badge',
      fobPath: 'sim:fob',
    });
    cleanups.push(() => rmSync(files.dir, { recursive: true, force: true }));
    const daemon = new DaemonProcess(files.configFile);
    cleanups.push(() => daemon.stop('SIGKILL'));
    await daemon.start();
    await daemon.stop();
    return files;
  }

  /** As systemd runs it: the built CLI, with the unit's state directory in the environment. */
  function outputsOff(configFile: string, stateDirectory: string) {
    return spawnSync(process.execPath, [CLI, 'outputs-off', '--config', configFile], {
      encoding: 'utf8',
      env: { ...process.env, STATE_DIRECTORY: stateDirectory },
    });
  }

  it('the daemon lists every output it drives at start, readable by its own user only', async () => {
    const files = await cabinetThatRanOnce('cab-last-good');
    const file = join(files.dir, 'outputs-last-good.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const list = JSON.parse(readFileSync(file, 'utf8')) as {
      model: string;
      database: string;
      outputs: Array<{ name: string }>;
    };
    const profile = loadProfile(join(files.dir, 'profile.json'), hardwareDir());
    expect(list.model).toBe(profile.model);
    expect(list.database).toBe(files.database);
    expect(list.outputs.map((o) => o.name)).toEqual(outputsOf(profile).map((o) => o.name));
  });

  it('with the config file broken, outputs-off falls back to the list and says so', async () => {
    const files = await cabinetThatRanOnce('cab-bad-config');
    writeFileSync(files.configFile, '{ "cabinetId": "cab-bad-config", "mqtt": ');

    const result = outputsOff(files.configFile, files.dir);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/config\.json/);
    expect(result.stderr).toContain(
      `using the last-known-good pin list ${join(files.dir, 'outputs-last-good.json')}`,
    );
    expect(result.stdout).toMatch(/simulated GPIO, nothing to drive/);
  });

  it('with only the profile broken, the list beside the configured database is used', async () => {
    const files = await cabinetThatRanOnce('cab-bad-profile');
    writeFileSync(join(files.dir, 'profile.json'), '{ "model": 3 }');

    // No state directory this time: the config still names the database, and the list is beside it.
    const result = outputsOff(files.configFile, join(files.dir, 'elsewhere'));

    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(join(files.dir, 'outputs-last-good.json'));
  });

  it('with the profile edited validly since the start, the pins of both are driven off', async () => {
    const files = await cabinetThatRanOnce('cab-renumbered');
    // Slots 1 and 2 swapped solenoid pins while the daemon ran: after a crash, the coil the
    // daemon held for slot 1 is on the pin the profile now gives slot 2.
    const profileFile = join(files.dir, 'profile.json');
    const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as {
      slots: Array<{ solenoid: number }>;
    };
    const [first, second] = profile.slots;
    if (!first || !second) throw new Error('the sim profile has slots');
    [first.solenoid, second.solenoid] = [second.solenoid, first.solenoid];
    writeFileSync(profileFile, JSON.stringify(profile));

    const result = outputsOff(files.configFile, files.dir);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `differ from those the daemon last started with (${join(files.dir, 'outputs-last-good.json')}); driving both off`,
    );
  });

  it('with the profile as the daemon started it, the list adds nothing and nothing is said', async () => {
    const files = await cabinetThatRanOnce('cab-unchanged');
    const result = outputsOff(files.configFile, files.dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/simulated GPIO, nothing to drive/);
  });
});
