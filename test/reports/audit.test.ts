import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/domain/events.js';
import { auditReport } from '../../src/reports/audit.js';
import { renderReport } from '../../src/reports/report.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';
import { columnBySlot, seedReportCabinet } from './report-fixture.js';

const temp = useTempDb();

function seeded(): { db: Database; record: (event: NewEvent) => void } {
  const { db } = temp.open();
  seedReportCabinet(db);
  const log = new EventLog(db, 'report-cab', new FakeClock(Date.parse('2026-01-15T09:30:00Z')));
  return { db, record: (event) => log.append([event]) };
}

const findings = (db: Database) => {
  const all = columnBySlot(auditReport(db), 'findings');
  return Object.fromEntries(Object.entries(all).filter(([, text]) => text !== ''));
};

describe('report audit', () => {
  it('lists every slot as last known against loans and key states', () => {
    const { db } = seeded();
    expect(renderReport(auditReport(db), 'table').split('\n').slice(0, 7)).toEqual([
      'SLOT  LAST KNOWN  IN SLOT  SINCE                 HOME OF  KEY STATE  ON LOAN TO  LOAN SINCE            FINDINGS',
      '1     empty       -        2026-01-15 08:00 UTC  K-1      active     Alice (1)   2026-01-15 08:00 UTC  -',
      '2     empty       -        2026-01-15 08:10 UTC  K-2      active     Bob (2)     2026-01-15 08:10 UTC  -',
      '3     occupied    K-3      -                     K-3      lost       -           -                     K-3 is marked lost',
      '4     empty       -        2026-01-15 08:30 UTC  K-4      active     -           -                     K-4 is out without a loan',
      '5     empty       -        2026-01-15 08:15 UTC  K-5      active     Carl (3)    2026-01-15 08:15 UTC  K-5 is out with disabled holder Carl (3)',
      '6     empty       -        -                     -        -          -           -                     -',
    ]);
    expect(auditReport(db).rows).toHaveLength(12);
  });

  it('finds a key in the wrong slot with its loan still open, and an unknown fob', () => {
    const { db, record } = seeded();
    record({ type: 'key.wrong_slot', data: { keyId: 1, keyLabel: 'K-1', slot: 7, homeSlot: 1 } });
    record({ type: 'key.unknown_fob', data: { slot: 12, tag: 'BEEF0042' } });
    expect(findings(db)).toEqual({
      1: 'loan to Alice (1) is open but K-1 is in slot 7',
      3: 'K-3 is marked lost',
      4: 'K-4 is out without a loan',
      5: 'K-5 is out with disabled holder Carl (3)',
      7: 'K-1 is here, its home is slot 1',
      12: 'unknown fob BEEF0042',
    });
    expect(auditReport(db).rows[11]).toMatchObject({ state: 'occupied', inSlot: 'fob BEEF0042' });
    // Taken out again: the alarms clear and so do the findings.
    record({ type: 'alarm.cleared', data: { alarm: 'key.wrong_slot', slot: 7, since: 'x' } });
    record({ type: 'alarm.cleared', data: { alarm: 'key.unknown_fob', slot: 12, since: 'x' } });
    expect(Object.keys(findings(db))).toEqual(['3', '4', '5']);
  });

  it('takes a cleared key.forced alarm as the home key back, and a return as the loan closed', () => {
    const { db, record } = seeded();
    record({ type: 'alarm.cleared', data: { alarm: 'key.forced', slot: 4, since: 'x' } });
    record({
      type: 'key.checked_in',
      data: {
        keyId: 5,
        keyLabel: 'K-5',
        holderId: 3,
        holderName: 'Carl',
        slot: 5,
        outAt: '2026-01-15T08:15:00.000Z',
        durationSeconds: 4500,
        returnedBy: 3,
      },
    });
    expect(findings(db)).toEqual({ 3: 'K-3 is marked lost' });
    expect(auditReport(db).rows[3]).toMatchObject({ slot: 4, state: 'occupied', inSlot: 'K-4' });
  });
});
