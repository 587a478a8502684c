import { describe, expect, it } from 'vitest';
import { historyReport } from '../../src/reports/history.js';
import { keysOutReport, overdueReport } from '../../src/reports/loans.js';
import { renderReport } from '../../src/reports/report.js';
import { useTempDb } from '../support/temp-db.js';
import { NOW, seedReportCabinet } from './report-fixture.js';

const temp = useTempDb();

function seeded() {
  const { db } = temp.open();
  seedReportCabinet(db);
  return db;
}

describe('report keys-out', () => {
  it('lists each open loan with holder, since, time out, due and overdue, as a table in the cabinet’s zone', () => {
    expect(renderReport(keysOutReport(seeded(), NOW), 'table', 'Europe/Berlin')).toBe(
      [
        'KEY  LABEL  SLOT  HOLDER  NAME   SINCE                 OUT FOR     DUE                   OVERDUE',
        '1    K-1    1     1       Alice  2026-01-15 09:00 CET  2 h 00 min  2026-01-15 10:00 CET  yes',
        '2    K-2    2     2       Bob    2026-01-15 09:10 CET  1 h 50 min  2026-01-15 13:00 CET  no',
        '5    K-5    5     3       Carl   2026-01-15 09:15 CET  1 h 45 min  -                     no',
      ].join('\n'),
    );
  });

  it('prints CSV with the column keys as header and JSON as objects', () => {
    const db = seeded();
    const csv = renderReport(keysOutReport(db, NOW), 'csv').split('\r\n');
    expect(csv[0]).toBe('keyId,label,slot,holderId,holderName,since,out,due,overdue');
    expect(csv[3]).toBe('5,K-5,5,3,Carl,2026-01-15T08:15:00.000Z,1 h 45 min,,false');
    expect((JSON.parse(renderReport(keysOutReport(db, NOW), 'json')) as unknown[])[0]).toEqual({
      keyId: 1,
      label: 'K-1',
      slot: 1,
      holderId: 1,
      holderName: 'Alice',
      since: '2026-01-15T08:00:00.000Z',
      out: '2 h 00 min',
      due: '2026-01-15T09:00:00.000Z',
      overdue: true,
    });
  });

  it('says so when every key is home', () => {
    const { db } = temp.open();
    expect(renderReport(keysOutReport(db, NOW), 'table')).toBe('every key is in the cabinet');
    expect(renderReport(keysOutReport(db, NOW), 'json')).toBe('[]');
  });
});

describe('report overdue', () => {
  it('lists only loans past due, on both sides of the due instant', () => {
    const db = seeded();
    const at = (iso: string) => overdueReport(db, new Date(iso)).rows.map((r) => r.keyId);
    expect(at('2026-01-15T08:59:59.999Z')).toEqual([]);
    expect(at('2026-01-15T09:00:00.000Z')).toEqual([1]);
    expect(at('2026-01-15T12:00:00.000Z')).toEqual([1, 2]);
    expect(renderReport(overdueReport(db, NOW), 'table')).toBe(
      [
        'KEY  LABEL  HOLDER  NAME   SINCE                 DUE                   OVERDUE BY',
        '1    K-1    1       Alice  2026-01-15 08:00 UTC  2026-01-15 09:00 UTC  1 h 00 min',
      ].join('\n'),
    );
    expect(renderReport(overdueReport(db, new Date('2026-01-15T08:00:00Z')), 'table')).toBe(
      'no key is overdue',
    );
  });
});

describe('report history', () => {
  it('shows a key’s events in order, limited to a period', () => {
    const db = seeded();
    const all = historyReport(db, { keyId: 2 });
    expect(all.rows.map((r) => [r.type, r.holderName])).toEqual([
      ['key.added', null],
      ['key.checked_out', 'Alice'],
      ['key.checked_in', 'Alice'],
      ['key.checked_out', 'Bob'],
    ]);
    const today = historyReport(db, { keyId: 2, from: '2026-01-15T00:00:00.000Z' });
    expect(today.rows.map((r) => [r.time, r.type, r.holderName])).toEqual([
      ['2026-01-15T08:10:00.000Z', 'key.checked_out', 'Bob'],
    ]);
    const yesterday = historyReport(db, {
      keyId: 2,
      from: '2026-01-14T15:00:00.000Z',
      to: '2026-01-14T16:30:00.000Z',
    });
    expect(yesterday.rows.map((r) => r.type)).toEqual(['key.checked_out']); // to is exclusive
    expect(
      renderReport(historyReport(db, { keyId: 2, from: '2026-01-15T09:00:00.000Z' }), 'table'),
    ).toBe('no events for key 2 in that period');
  });

  it('shows a holder’s events, custodian changes with who made them', () => {
    const rows = historyReport(seeded(), { holderId: 3 }).rows;
    expect(rows.map((r) => [r.type, r.keyId, r.details])).toEqual([
      ['holder.added', null, 'by=custodian:carol name=Carl'],
      ['permission.granted', null, 'by=custodian:carol'],
      ['key.checked_out', 5, ''],
      // Carl left with K-5: the departure lists it as outstanding.
      [
        'holder.disabled',
        null,
        'by=custodian:carol name=Carl outstanding=[{"keyId":5,"keyLabel":"K-5","slot":5,"outAt":"2026-01-15T08:15:00.000Z"}]',
      ],
    ]);
    expect(rows[0]?.holderName).toBe('Carl');
  });
});
