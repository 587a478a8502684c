import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdersCsv } from '../../src/import/holders-csv.js';
import { writeCsv } from '../../src/import/csv.js';
import { runImport } from '../../src/import/run-import.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';

/** Ways to spoil one holder row; each must be reported at that row's line. */
const FAULTS: Record<string, (row: string[]) => string[]> = {
  emptyName: (r) => [r[0] as string, '  ', ...r.slice(2)],
  badFlag: (r) => [...r.slice(0, 2), 'maybe', ...r.slice(3)],
  bareDate: (r) => [...r.slice(0, 3), '2026-03-01', ...r.slice(4)],
  negativeLimit: (r) => [...r.slice(0, 5), '-2'],
  shortRow: (r) => r.slice(0, 4),
};

describe('import of holders, all or nothing (property)', () => {
  it('reports exactly the spoilt rows by line, and writes something only when there are none', () => {
    const row = fc.record({
      name: fc.string({
        unit: fc.constantFrom('a', 'B', ' ', ',', '"', 'é'),
        minLength: 1,
        maxLength: 12,
      }),
      enabled: fc.constantFrom('1', '0', 'yes', 'false', ''),
      limit: fc.constantFrom('', '0', '3'),
      fault: fc.option(fc.constantFrom(...Object.keys(FAULTS)), { freq: 3 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        const db = openDatabase(':memory:');
        try {
          const log = new EventLog(db, 'prop', new FakeClock());
          const records = rows.map((r, i) => {
            const name = r.name.trim() === '' ? `n${i}` : r.name;
            const clean = [`E-${i}`, name, r.enabled, '', '', r.limit];
            return r.fault ? (FAULTS[r.fault] as (x: string[]) => string[])(clean) : clean;
          });
          const csv = writeCsv(holdersCsv.headers, records);
          const report = runImport(db, log, { kind: 'custodian', account: 'p' }, holdersCsv, csv, {
            dryRun: false,
          });
          // The writer never quotes a line break here, so row i is on line i + 2.
          const spoilt = rows.flatMap((r, i) => (r.fault ? [i + 2] : []));
          expect(report.errors.map((e) => e.line)).toEqual(spoilt);
          const holders = db.prepare('SELECT count(*) FROM holders').pluck().get();
          const events = db.prepare('SELECT count(*) FROM events').pluck().get();
          const expected = spoilt.length === 0 ? rows.length : 0;
          expect([holders, events, report.applied]).toEqual([
            expected,
            expected,
            spoilt.length === 0,
          ]);
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
