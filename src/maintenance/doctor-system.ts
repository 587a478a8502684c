import { existsSync, readFileSync } from 'node:fs';
import type { DoctorMachine } from './doctor-machine.js';
import { fail, ok, warn, type CheckResult } from './doctor-report.js';

const SYNC_FIX =
  'turn NTP on (sudo timedatectl set-ntp true) and let the machine reach an NTP server: every event carries the wall time';

/**
 * systemd's own answer first (timedatectl); where systemd does not run, the flag file
 * systemd-timesyncd writes once synchronised; where neither exists, "unknown" rather than a
 * guess.
 */
export function checkClock(machine: DoctorMachine): CheckResult {
  const answer = machine.run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
  if (!answer.missing && answer.code === 0) {
    const value = answer.stdout.trim();
    if (value === 'yes') return ok('clock', 'synchronised (timedatectl: NTPSynchronized=yes)');
    if (value === 'no')
      return fail('clock', 'not synchronised (timedatectl: NTPSynchronized=no)', SYNC_FIX);
  }
  if (existsSync(machine.timesyncFlag)) {
    return ok('clock', `synchronised (${machine.timesyncFlag} present)`);
  }
  return warn(
    'clock',
    `unknown: timedatectl gave no answer and ${machine.timesyncFlag} does not exist`,
    'run systemd-timesyncd (or chrony) so that the clock is kept and checkable',
  );
}

/**
 * What the unit's sandbox should give the daemon, read where it can be read: in the process
 * itself when systemd started it (INVOCATION_ID is set), else from the loaded unit
 * (`systemctl show keywarden`), where a drop-in that weakens it shows.
 */
const UNIT_EXPECTS: Record<string, string> = {
  NoNewPrivileges: 'yes',
  ProtectSystem: 'strict',
  ProtectHome: 'yes',
  PrivateTmp: 'yes',
  RestrictSUIDSGID: 'yes',
  DevicePolicy: 'closed',
  CapabilityBoundingSet: '',
};

export function checkHardening(machine: DoctorMachine): CheckResult {
  if (machine.env.INVOCATION_ID !== undefined) return checkOwnSandbox(machine);
  const names = ['LoadState', ...Object.keys(UNIT_EXPECTS)];
  const answer = machine.run('systemctl', ['show', 'keywarden', '-p', names.join(',')]);
  if (answer.missing || answer.code !== 0) {
    return ok('hardening', 'not under systemd (no systemctl answer): nothing to check');
  }
  const shown = new Map(
    answer.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  if (shown.get('LoadState') !== 'loaded') {
    return warn(
      'hardening',
      `not under systemd: the keywarden unit is ${shown.get('LoadState') ?? 'unknown'}`,
      'install systemd/keywarden.service (docs/operations.md)',
    );
  }
  const weaker = Object.entries(UNIT_EXPECTS)
    .filter(([name, expected]) => shown.has(name) && shown.get(name) !== expected)
    .map(
      ([name, expected]) =>
        `${name}=${shown.get(name) || '(all)'} (expected ${expected || 'empty'})`,
    );
  if (weaker.length > 0) {
    return fail(
      'hardening',
      `the loaded keywarden unit is weaker than shipped: ${weaker.join(', ')}`,
      'find the drop-in that changes it (systemctl cat keywarden) and remove the line',
    );
  }
  return ok(
    'hardening',
    `the keywarden unit has ${Object.keys(UNIT_EXPECTS).join(', ')} as shipped`,
  );
}

function checkOwnSandbox(machine: DoctorMachine): CheckResult {
  let status: string;
  try {
    status = readFileSync(machine.procStatus, 'utf8');
  } catch (error) {
    return warn('hardening', `cannot read ${machine.procStatus}: ${(error as Error).message}`);
  }
  const field = (name: string): string | undefined =>
    new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1];
  const missing: string[] = [];
  if (field('NoNewPrivs') !== '1') missing.push(`NoNewPrivs is ${field('NoNewPrivs') ?? 'absent'}`);
  // 2: a seccomp filter (SystemCallFilter=); 0 means no filter at all.
  if (field('Seccomp') !== '2') missing.push(`Seccomp is ${field('Seccomp') ?? 'absent'}`);
  if (missing.length > 0) {
    return fail(
      'hardening',
      `under systemd without the unit's sandbox: ${missing.join(', ')}`,
      'run it from the shipped systemd/keywarden.service, and remove any drop-in that turns NoNewPrivileges or SystemCallFilter off',
    );
  }
  return ok('hardening', 'under systemd with NoNewPrivs=1 and a seccomp filter (Seccomp=2)');
}
