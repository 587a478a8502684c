import { describe, expect, it } from 'vitest';
import { localTimeFormat } from '../../src/present/local-time-format.js';
import { cliCabinet } from '../support/cli-cabinet.js';
import { runCli } from '../support/run-cli.js';

describe('localTimeFormat', () => {
  it.each([
    ['Europe/Berlin', '2026-12-06T14:05:00Z', '2026-12-06 15:05 CET'],
    ['Europe/Berlin', '2026-07-06T14:05:00Z', '2026-07-06 16:05 CEST'],
    ['America/New_York', '2026-12-06T14:05:00Z', '2026-12-06 09:05 EST'],
    ['Europe/London', '2026-07-06T14:05:00Z', '2026-07-06 15:05 BST'],
    ['Asia/Kolkata', '2026-12-06T14:05:00Z', '2026-12-06 19:35 UTC+05:30'],
    ['Australia/Sydney', '2026-12-06T14:05:00Z', '2026-12-07 01:05 UTC+11:00'],
    ['UTC', '2026-12-06T14:05:00Z', '2026-12-06 14:05 UTC'],
    // The fall-back hour happens twice: the zone name tells them apart.
    ['Europe/Berlin', '2026-10-25T00:30:00Z', '2026-10-25 02:30 CEST'],
    ['Europe/Berlin', '2026-10-25T01:30:00Z', '2026-10-25 02:30 CET'],
  ])('%s: %s → %s', (zone, iso, shown) => {
    expect(localTimeFormat(zone)(iso)).toBe(shown);
  });

  it('to the second for event logs; no value is a dash', () => {
    expect(localTimeFormat('Europe/Berlin', { seconds: true })('2026-12-06T14:05:09.123Z')).toBe(
      '2026-12-06 15:05:09 CET',
    );
    expect(localTimeFormat('UTC')(null)).toBe('-');
  });
});

describe('a cabinet in Europe/Berlin: tables in its time, names next to ids', () => {
  async function berlin() {
    const cab = cliCabinet();
    const config = cab.file(
      'berlin.json',
      JSON.stringify({
        version: 1,
        cabinetId: 'berlin',
        profile: 'sim',
        database: cab.database,
        cabinet: { timeZone: 'Europe/Berlin' },
      }),
    );
    const cli = async (...args: string[]) => {
      const result = await runCli([...args, '--config', config]);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      return result.out;
    };
    await cli('holder', 'add', '--name', 'Eve Contractor', '--valid-until', '2026-12-31T18:00Z');
    await cli('key', 'add', '--tag', 'A000000011', '--slot', '11', '--label', 'Store B');
    await cli('group', 'add', '--name', 'Night shift');
    await cli('group', 'add-member', '1', '1');
    await cli('schedule', 'add', '--name', 'Nights');
    await cli('permission', 'grant', '--group', '1', '--slot', '11', '--schedule', '1');
    await cli('permission', 'grant', '--holder', '1', '--slot', '11');
    return { cab, cli };
  }

  it('holder show: the validity in local time with its zone', async () => {
    const { cli } = await berlin();
    expect(await cli('holder', 'show', '1')).toContain('valid:         … → 2026-12-31 19:00 CET');
  });

  it('permission list: who, what and when by name', async () => {
    const { cli } = await berlin();
    const out = await cli('permission', 'list');
    expect(out).toContain('group Night shift (1)');
    expect(out).toContain('slot 11 (Store B)');
    expect(out).toContain('Nights (1)');
    expect(out).toContain('holder Eve Contractor (1)');
  });

  it('group list: members by name', async () => {
    const { cli } = await berlin();
    expect(await cli('group', 'list')).toMatch(/Night shift\s+-\s+Eve Contractor \(1\)/);
  });

  it('events: local time to the second, zone named; --json keeps the ISO instant', async () => {
    const { cli } = await berlin();
    const table = await cli('events', '--limit', '1');
    expect(table.split('\n')[1]).toMatch(
      /^\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T\s+[a-z]+\.[a-z_]+\s/,
    );
    expect(await cli('events', '--limit', '3')).toContain(
      'by=custodian:' /* the actor as its account */,
    );
    expect(await cli('events', '--limit', '3')).toContain('holderId=Eve Contractor (1)');
    const json = JSON.parse(await cli('events', '--limit', '1', '--json')) as Array<{
      time: string;
    }>;
    expect(json[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('report access-matrix: the validity in local time in a table, ISO in CSV', async () => {
    const { cli } = await berlin();
    expect(await cli('report', 'access-matrix')).toContain('2026-12-31 19:00 CET');
    expect(await cli('report', 'access-matrix', '--format', 'csv')).toContain(
      '2026-12-31T18:00:00.000Z',
    );
  });
});
