import type { Database } from 'better-sqlite3';
import { accessMatrixRows } from '../store/report-queries.js';
import { requireRecord } from './known-record.js';
import type { Report } from './report.js';

/**
 * Every way a holder may take the key of a slot (src/store/report-queries.ts): one row per holder,
 * slot and source, so a permission given twice shows twice.
 */
export function accessMatrixReport(db: Database, options: { holderId?: number } = {}): Report {
  if (options.holderId !== undefined) requireRecord(db, 'holder', options.holderId);
  return {
    columns: [
      { key: 'holderId', header: 'HOLDER' },
      { key: 'holderName', header: 'NAME' },
      { key: 'holderState', header: 'STATE' },
      { key: 'slot', header: 'SLOT' },
      { key: 'keyId', header: 'KEY' },
      { key: 'keyLabel', header: 'LABEL' },
      { key: 'keyState', header: 'KEY STATE' },
      { key: 'via', header: 'VIA' },
      { key: 'schedule', header: 'WHEN' },
      { key: 'validFrom', header: 'VALID FROM', instant: 'minute' },
      { key: 'validUntil', header: 'VALID UNTIL', instant: 'minute' },
      { key: 'maxLoanMinutes', header: 'LIMIT (MIN)' },
    ],
    rows: accessMatrixRows(db, options.holderId),
    empty:
      options.holderId === undefined
        ? 'no holder may take any key'
        : `holder ${options.holderId} may take no key`,
  };
}
