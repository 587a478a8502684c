import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web console's unit: a process apart from the daemon, with no device, no GPIO and none of
 * the daemon's files, reaching the cabinet only through the custodian socket's group.
 */
const UNIT = join(import.meta.dirname, '..', '..', 'systemd', 'keywarden-web.service');
const unitText = readFileSync(UNIT, 'utf8');
const lines = unitText.split('\n');
const settings = lines.filter((l) => /^[A-Za-z]+=/.test(l));
const comments = lines.filter((l) => l.startsWith('#')).join('\n');
const values = (name: string) =>
  settings.filter((s) => s.startsWith(`${name}=`)).map((s) => s.slice(name.length + 1));

/** `systemd-analyze security` on the shipped file, without running it (systemd package). */
const report = execFileSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', UNIT], {
  encoding: 'utf8',
  env: { ...process.env, SYSTEMD_COLORS: '0', LC_ALL: 'C.UTF-8' },
});

describe('the shipped systemd unit of the web console', () => {
  it('scores 2.0 or better with systemd-analyze security', () => {
    const match = /Overall exposure level for keywarden-web\.service: (\d+(?:\.\d+)?)/.exec(report);
    expect(match, report).not.toBeNull();
    expect(Number(match![1])).toBeLessThanOrEqual(2.0);
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

  it('runs as its own user with no device, no GPIO and no hardware group', () => {
    expect(values('User')).toEqual(['keywarden-web']);
    expect(values('Group')).toEqual(['keywarden-web']);
    // The custodian socket's group, and nothing else: not dialout, not gpio, not keywarden.
    expect(values('SupplementaryGroups')).toEqual(['keywarden-custodians']);
    expect(settings).toEqual(
      expect.arrayContaining(['PrivateDevices=yes', 'DevicePolicy=closed', 'NoNewPrivileges=yes']),
    );
    expect(values('DeviceAllow')).toEqual([]);
    expect(values('CapabilityBoundingSet')).toEqual(['']);
    expect(values('AmbientCapabilities')).toEqual(['']);
    expect(values('InaccessiblePaths').join(' ').split(' ')).toEqual(
      expect.arrayContaining([
        '-/var/lib/keywarden',
        '-/etc/keywarden/config.json',
        '-/sys/class/gpio',
      ]),
    );
  });

  it('writes only its own state directory, and starts the console, not the daemon', () => {
    expect(values('ProtectSystem')).toEqual(['strict']);
    expect(values('StateDirectory')).toEqual(['keywarden-web']);
    expect(values('ReadWritePaths')).toEqual([]);
    expect(values('RuntimeDirectory')).toEqual([]);
    const [start = ''] = values('ExecStart');
    expect(start).toMatch(/\/main\.js web --config \S+$/);
    expect(values('ExecStopPost')).toEqual([]);
    expect(settings).toEqual(expect.arrayContaining(['Type=notify', 'NotifyAccess=all']));
  });
});
