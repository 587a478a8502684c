import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { cliCabinet } from '../support/cli-cabinet.js';
import { seedReportCabinet } from '../reports/report-fixture.js';

let cab: ReturnType<typeof cliCabinet>;
beforeEach(() => {
  cab = cliCabinet();
  const db = openDatabase(cab.database);
  try {
    seedReportCabinet(db);
  } finally {
    db.close();
  }
});

describe('keywarden report (the real CLI on a seeded database)', () => {
  it('keys-out in each format', async () => {
    const table = await cab.cli('report', 'keys-out');
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(
      /^KEY\s+LABEL\s+SLOT\s+HOLDER\s+NAME\s+SINCE\s+OUT FOR\s+DUE\s+OVERDUE$/,
    );
    expect(table.out).toContain('Alice');
    const json = JSON.parse((await cab.cli('report', 'keys-out', '--format', 'json')).out) as Array<
      Record<string, unknown>
    >;
    expect(json.map((r) => [r.keyId, r.holderName, r.due, r.overdue])).toEqual([
      [1, 'Alice', '2026-01-15T09:00:00.000Z', true],
      [2, 'Bob', '2026-01-15T12:00:00.000Z', true],
      [5, 'Carl', null, false],
    ]);
    const csv = (await cab.cli('report', 'keys-out', '-f', 'csv')).out.split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv[1]).toMatch(
      /^1,K-1,1,1,Alice,2026-01-15T08:00:00.000Z,.+,2026-01-15T09:00:00.000Z,true$/,
    );
  });

  it('overdue in each format (both loans with a due time are past it by now)', async () => {
    const json = JSON.parse((await cab.cli('report', 'overdue', '--format', 'json')).out) as Array<
      Record<string, unknown>
    >;
    expect(json.map((r) => r.keyId)).toEqual([1, 2]);
    expect((await cab.cli('report', 'overdue', '--format', 'csv')).out.split('\r\n')[0]).toBe(
      'keyId,label,holderId,holderName,since,due,overdueBy',
    );
    expect((await cab.cli('report', 'overdue')).out).toMatch(/^KEY\s+LABEL\s+HOLDER/);
  });

  it('history of a key or a holder over a period, in each format', async () => {
    const csv = await cab.cli(
      'report',
      'history',
      '--key',
      '2',
      '--from',
      '2026-01-15T00:00:00Z',
      '--format',
      'csv',
    );
    expect(csv).toMatchObject({ code: 0, err: '' });
    expect(csv.out).toBe(
      'seq,time,type,slot,keyId,keyLabel,holderId,holderName,details\r\n' +
        `${csv.out.split('\r\n')[1]?.split(',')[0]},2026-01-15T08:10:00.000Z,key.checked_out,2,2,K-2,2,Bob,`,
    );
    const json = JSON.parse(
      (
        await cab.cli(
          'report',
          'history',
          '--holder',
          '1',
          '--to',
          '2026-01-15T00:00:00+00:00',
          '--format',
          'json',
        )
      ).out,
    ) as Array<{ type: string }>;
    expect(json.map((e) => e.type)).toEqual([
      'holder.added',
      'permission.granted',
      'permission.granted',
      'key.checked_out',
      'key.checked_in',
    ]);
    expect((await cab.cli('report', 'history', '--holder', '2')).out).toMatch(
      /^SEQ\s+TIME\s+EVENT/,
    );
  });

  it('access-matrix in each format, with a --holder filter', async () => {
    const json = JSON.parse(
      (await cab.cli('report', 'access-matrix', '--format', 'json')).out,
    ) as Array<Record<string, unknown>>;
    expect(json.map((r) => [r.holderId, r.slot, r.via])).toEqual([
      [1, 1, 'direct'],
      [1, 2, 'direct'],
      [2, 2, 'direct'],
      [3, 5, 'direct'],
    ]);
    expect((await cab.cli('report', 'access-matrix', '--holder', '2', '--format', 'csv')).out).toBe(
      'holderId,holderName,holderState,slot,keyId,keyLabel,keyState,via,schedule,validFrom,validUntil,maxLoanMinutes\r\n' +
        '2,Bob,enabled,2,2,K-2,active,direct,any time,,,',
    );
    expect((await cab.cli('report', 'access-matrix', '--holder', '3')).out).toMatch(
      /^HOLDER\s+NAME\s+STATE.*\n3\s+Carl\s+disabled\s+5\s+5\s+K-5\s+active\s+direct\s+any time/,
    );
  });

  it('audit in each format, and --findings-only', async () => {
    const json = JSON.parse((await cab.cli('report', 'audit', '--format', 'json')).out) as Array<
      Record<string, unknown>
    >;
    expect(json).toHaveLength(12);
    expect(json[3]).toEqual({
      slot: 4,
      state: 'empty',
      inSlot: null,
      lastSeen: '2026-01-15T08:30:00.000Z',
      homeKey: 'K-4',
      keyState: 'active',
      loan: null,
      loanSince: null,
      findings: 'K-4 is out without a loan',
    });
    const csv = (await cab.cli('report', 'audit', '--findings-only', '--format', 'csv')).out.split(
      '\r\n',
    );
    expect(csv).toEqual([
      'slot,state,inSlot,lastSeen,homeKey,keyState,loan,loanSince,findings',
      '3,occupied,K-3,,K-3,lost,,,K-3 is marked lost',
      '4,empty,,2026-01-15T08:30:00.000Z,K-4,active,,,K-4 is out without a loan',
      '5,empty,,2026-01-15T08:15:00.000Z,K-5,active,Carl (3),2026-01-15T08:15:00.000Z,K-5 is out with disabled holder Carl (3)',
    ]);
    expect((await cab.cli('report', 'audit')).out).toMatch(/^SLOT\s+LAST KNOWN/);
  });

  it.each([
    [['report', 'history'], 'give either --key or --holder'],
    [['report', 'history', '--key', '1', '--holder', '1'], 'give either --key or --holder'],
    [
      ['report', 'history', '--key', '1', '--from', 'yesterday'],
      '--from: "yesterday" is not a date and time',
    ],
    [
      [
        'report',
        'history',
        '--key',
        '1',
        '--from',
        '2026-01-15T10:00:00Z',
        '--to',
        '2026-01-15T09:00:00Z',
      ],
      '--from must be before --to',
    ],
    [['report', 'keys-out', '--format', 'xml'], '--format must be table, csv, json, not "xml"'],
  ])('%j is a usage error', async (args, message) => {
    const result = await cab.cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
