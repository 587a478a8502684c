import { statSync } from 'node:fs';
import { loadConfig, type KeywardenConfig } from '../config/config.js';
import { loadProfile, type HardwareProfile, type ReaderSpec } from '../config/profile.js';
import { mayReadWrite, type DoctorMachine } from './doctor-machine.js';
import { fail, ok, warn, type CheckResult } from './doctor-report.js';

export type LoadedSetup =
  | { config: KeywardenConfig; profile: HardwareProfile; results: CheckResult[] }
  | { config?: undefined; profile?: undefined; results: CheckResult[] };

/** The config, then the profile it names: every other check needs both. */
export function checkSetup(configFile: string, hardwareDir: string): LoadedSetup {
  let config: KeywardenConfig;
  try {
    config = loadConfig(configFile);
  } catch (error) {
    return {
      results: [
        fail(
          'config',
          (error as Error).message.replaceAll('\n', '; '),
          `correct the fields named, then run "keywarden config check --config ${configFile}"`,
        ),
      ],
    };
  }
  const configOk = ok('config', `${config.file} valid (cabinet ${config.cabinetId})`);
  try {
    const profile = loadProfile(config.profile, hardwareDir);
    return {
      config,
      profile,
      results: [
        configOk,
        ok('profile', `${profile.file} valid (${profile.model}, ${profile.slotCount} slots)`),
      ],
    };
  } catch (error) {
    return {
      results: [
        configOk,
        fail(
          'profile',
          (error as Error).message.replaceAll('\n', '; '),
          'correct the profile fields named (hardware/README.md describes each one)',
        ),
      ],
    };
  }
}

/** The groups the profile's hardware needs: serial readers need dialout, sysfs GPIO gpio. */
export function neededGroups(profile: HardwareProfile): string[] {
  const needed: string[] = [];
  if (readersOf(profile).some(([, reader]) => !isSimulated(reader))) needed.push('dialout');
  if (profile.gpio.driver !== 'sim') needed.push('gpio');
  return needed;
}

export function checkGroups(profile: HardwareProfile, machine: DoctorMachine): CheckResult {
  const { user } = machine;
  const needed = neededGroups(profile);
  if (needed.length === 0)
    return ok('groups', 'the profile simulates every device: no group needed');
  if (user.uid === 0) return ok('groups', `${user.name} is root: every device is open to it`);
  const has = new Set(user.gids.map((gid) => machine.groupName(gid)));
  const missing = needed.filter((group) => !has.has(group));
  if (missing.length === 0) return ok('groups', `${user.name} is in ${needed.join(', ')}`);
  return fail(
    'groups',
    `${user.name} is not in ${missing.join(', ')}, which the profile's ${describeNeeds(missing)} need`,
    `sudo usermod -aG ${missing.join(',')} ${user.name}, then log in again (the service gets them from the unit's SupplementaryGroups=)`,
  );
}

function describeNeeds(groups: string[]): string {
  return groups.map((g) => (g === 'dialout' ? 'serial readers' : 'sysfs GPIO pins')).join(' and ');
}

/** One line per reader: its device present, and readable and writable by this user. */
export function checkReaders(profile: HardwareProfile, machine: DoctorMachine): CheckResult[] {
  return readersOf(profile).map(([role, reader]) => checkReader(role, reader, profile, machine));
}

function checkReader(
  role: string,
  reader: ReaderSpec,
  profile: HardwareProfile,
  machine: DoctorMachine,
): CheckResult {
  const check = `${role} reader`;
  if (isSimulated(reader)) return ok(check, `${reader.path} (simulated)`);
  let stat;
  try {
    stat = statSync(reader.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      check,
      `${reader.path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`,
      `plug the ${role} reader in, or set readers.${role}.path in ${profile.file} to its device (ls -l /dev/serial/by-id lists the adapters connected)`,
    );
  }
  if (!mayReadWrite(stat, machine.user)) {
    const group = machine.groupName(stat.gid) ?? `gid ${stat.gid}`;
    // Joining the device's group is the fix only when that group is the serial one: joining
    // root's or tty's to reach one reader would give far more than the reader.
    return fail(
      check,
      `${reader.path} is not readable and writable by ${machine.user.name} (mode ${(stat.mode & 0o777).toString(8)}, group ${group})`,
      group === 'dialout'
        ? `sudo usermod -aG dialout ${machine.user.name}, then log in again`
        : `give the device to group dialout (mode 0660) with a udev rule (docs/operations.md, "Checking a cabinet"), and put ${machine.user.name} in dialout`,
    );
  }
  if (!stat.isCharacterDevice()) {
    return warn(check, `${reader.path} is not a character device: is it the serial port?`);
  }
  return ok(check, `${reader.path} present, readable and writable`);
}

function readersOf(profile: HardwareProfile): Array<[string, ReaderSpec]> {
  return [
    ['badge', profile.readers.badge],
    ['fob', profile.readers.fob],
  ];
}

const isSimulated = (reader: ReaderSpec): boolean => reader.path.startsWith('sim:');
