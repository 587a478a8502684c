import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT = join(import.meta.dirname, '..', '..', 'systemd', 'keywarden.service');
const unitText = readFileSync(UNIT, 'utf8');
const lines = unitText.split('\n');
const settings = lines.filter((l) => /^[A-Za-z]+=/.test(l));
const comments = lines.filter((l) => l.startsWith('#')).join('\n');

/** `systemd-analyze security` on the shipped file, without running it (systemd package). */
const report = execFileSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', UNIT], {
  encoding: 'utf8',
  env: { ...process.env, SYSTEMD_COLORS: '0', LC_ALL: 'C.UTF-8' },
});

describe('the shipped systemd unit', () => {
  // 1.9 until `SystemCallFilter=setpriority` (the helper threads back to nice 0): systemd-analyze
  // then counts @resources as open, though without capabilities it can only lower a priority.
  it('scores 2.1 or better with systemd-analyze security', () => {
    const match = /Overall exposure level for keywarden\.service: (\d+(?:\.\d+)?)/.exec(report);
    expect(match, report).not.toBeNull();
    expect(Number(match![1])).toBeLessThanOrEqual(2.1);
  });

  it('explains in a comment every check it leaves open', () => {
    const open = report
      .split('\n')
      .filter((l) => l.startsWith('✗'))
      .map((l) => /^✗ ([A-Za-z]+)/.exec(l)![1]!);
    expect(open.length).toBeGreaterThan(0);
    const unexplained = [...new Set(open)].filter((name) => !comments.includes(name));
    expect(unexplained).toEqual([]);
  });

  it('keeps what the daemon needs: devices, sysfs GPIO, groups, readiness, watchdog, fail-safe', () => {
    expect(settings).toEqual(
      expect.arrayContaining([
        'Type=notify',
        'NotifyAccess=all',
        'SupplementaryGroups=dialout gpio',
        'StateDirectory=keywarden',
        'ReadWritePaths=/sys/class/gpio',
        'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
        'DeviceAllow=char-ttyUSB rw',
        'DeviceAllow=char-ttyACM rw',
        'DeviceAllow=char-ttyAMA rw',
        'DeviceAllow=char-ttyS rw',
        'DeviceAllow=char-gpiochip rw',
      ]),
    );
    expect(settings.find((s) => s.startsWith('WatchdogSec='))).toMatch(/^WatchdogSec=\d+s$/);
    expect(settings.find((s) => s.startsWith('ExecStopPost='))).toMatch(/ outputs-off$/);
    // Each of these would break the hardware the cabinet is for (see the comments).
    for (const breaks of ['PrivateDevices=yes', 'ProtectKernelTunables=yes', 'PrivateUsers=yes'])
      expect(settings).not.toContain(breaks);
  });

  it('bounds the memory and tasks one daemon may take, well above what it was measured to use', () => {
    const megabytes = (name: string) => {
      const value = settings.find((s) => s.startsWith(`${name}=`))?.split('=')[1] ?? '';
      const match = /^(\d+)M$/.exec(value);
      if (!match) throw new Error(`${name}= missing or not in megabytes: ${value}`);
      return Number(match[1]);
    };
    // Measured RSS (bench/README.md): about 76 MB idle, 110 MB draining a backlog.
    expect(megabytes('MemoryHigh')).toBeGreaterThanOrEqual(2 * 110);
    expect(megabytes('MemoryMax')).toBeGreaterThan(megabytes('MemoryHigh'));
    expect(megabytes('MemoryMax')).toBeLessThanOrEqual(512);
    const tasks = Number(settings.find((s) => s.startsWith('TasksMax='))?.split('=')[1]);
    expect(tasks).toBeGreaterThanOrEqual(32);
    expect(tasks).toBeLessThanOrEqual(128);
  });
});
