import { describe, expect, it } from 'vitest';
import { accessMatrixReport } from '../../src/reports/access-matrix.js';
import { renderReport } from '../../src/reports/report.js';
import { useTempDb } from '../support/temp-db.js';
import { seedReportCabinet } from './report-fixture.js';

const temp = useTempDb();

/**
 * On top of the report fixture: group 1 "Night shift" (Bob, Carl) with a grant on key set 1
 * "Plant room" (K-4, K-5) in schedule 1 "Weekdays"; Alice valid until 2026-06-30 with a grant
 * of her own on slot 6 valid from 2026-02-01 to 2026-12-31, limited to 30 minutes.
 */
function seeded() {
  const { db } = temp.open();
  seedReportCabinet(db);
  const t = '2026-01-01T00:00:00.000Z';
  db.exec(`
    INSERT INTO access_groups (id, name, created_at, max_loan_minutes) VALUES (1, 'Night shift', '${t}', 120);
    INSERT INTO group_members (holder_id, group_id) VALUES (2, 1), (3, 1);
    INSERT INTO key_sets (id, name, created_at) VALUES (1, 'Plant room', '${t}');
    INSERT INTO key_set_members (key_set_id, key_id) VALUES (1, 4), (1, 5);
    INSERT INTO schedules (id, name, created_at) VALUES (1, 'Weekdays', '${t}');
    INSERT INTO schedule_windows (schedule_id, day, start_minute, end_minute) VALUES (1, 1, 420, 1140);
    INSERT INTO policy_grants (id, group_id, key_set_id, schedule_id, created_at) VALUES (7, 1, 1, 1, '${t}');
    INSERT INTO policy_grants (id, holder_id, slot, valid_from, valid_until, max_loan_minutes, created_at)
      VALUES (8, 1, 6, '2026-02-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z', 30, '${t}');
    UPDATE holders SET valid_until = '2026-06-30T00:00:00.000Z' WHERE id = 1;
  `);
  return db;
}

describe('report access-matrix', () => {
  it('resolves groups and key sets to holders and slots, with schedule, validity and limit', () => {
    const report = accessMatrixReport(seeded());
    expect(
      report.rows.map((r) => [
        r.holderId,
        r.slot,
        r.keyLabel,
        r.via,
        r.schedule,
        r.validFrom,
        r.validUntil,
        r.maxLoanMinutes,
      ]),
    ).toEqual([
      [1, 1, 'K-1', 'direct', 'any time', null, '2026-06-30T00:00:00.000Z', null],
      [1, 2, 'K-2', 'direct', 'any time', null, '2026-06-30T00:00:00.000Z', null],
      // The holder's end narrows the grant's.
      [
        1,
        6,
        null,
        'grant 8',
        'any time',
        '2026-02-01T00:00:00.000Z',
        '2026-06-30T00:00:00.000Z',
        30,
      ],
      [2, 2, 'K-2', 'direct', 'any time', null, null, null],
      [
        2,
        4,
        'K-4',
        'grant 7 to group "Night shift" on key set "Plant room"',
        'Weekdays',
        null,
        null,
        120,
      ],
      [
        2,
        5,
        'K-5',
        'grant 7 to group "Night shift" on key set "Plant room"',
        'Weekdays',
        null,
        null,
        120,
      ],
      [
        3,
        4,
        'K-4',
        'grant 7 to group "Night shift" on key set "Plant room"',
        'Weekdays',
        null,
        null,
        120,
      ],
      [3, 5, 'K-5', 'direct', 'any time', null, null, null],
      [
        3,
        5,
        'K-5',
        'grant 7 to group "Night shift" on key set "Plant room"',
        'Weekdays',
        null,
        null,
        120,
      ],
    ]);
    expect(
      report.rows.filter((r) => r.holderId === 3).every((r) => r.holderState === 'disabled'),
    ).toBe(true);
  });

  it('filters by holder and prints a table', () => {
    const db = seeded();
    expect(renderReport(accessMatrixReport(db, { holderId: 2 }), 'table')).toBe(
      [
        'HOLDER  NAME  STATE    SLOT  KEY  LABEL  KEY STATE  VIA                                                     WHEN      VALID FROM  VALID UNTIL  LIMIT (MIN)',
        '2       Bob   enabled  2     2    K-2    active     direct                                                  any time  -           -            -',
        '2       Bob   enabled  4     4    K-4    active     grant 7 to group "Night shift" on key set "Plant room"  Weekdays  -           -            120',
        '2       Bob   enabled  5     5    K-5    active     grant 7 to group "Night shift" on key set "Plant room"  Weekdays  -           -            120',
      ].join('\n'),
    );
    // An id never issued is named, not reported as a holder who may take nothing.
    expect(() => accessMatrixReport(db, { holderId: 99 })).toThrow('no holder with id 99');
  });

  it('shows a lost key as such, and leaves out a vacated key of a key set', () => {
    const db = seeded();
    db.exec(`INSERT INTO policy_grants (holder_id, slot, created_at) VALUES (2, 3, '2026-01-01T00:00:00.000Z');
             UPDATE keys SET state = 'retired', retired_tag = tag, tag = NULL, home_slot = NULL WHERE id = 4;`);
    const rows = accessMatrixReport(db, { holderId: 2 }).rows.map((r) => [r.slot, r.keyState]);
    expect(rows).toEqual([
      [2, 'active'],
      [3, 'lost'],
      [5, 'active'],
    ]);
  });
});
