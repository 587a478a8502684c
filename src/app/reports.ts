import type { Database } from 'better-sqlite3';
import { accessMatrixReport } from '../reports/access-matrix.js';
import { auditReport } from '../reports/audit.js';
import { historyReport, prunedBefore, type HistoryQuery } from '../reports/history.js';
import { keysOutReport, overdueReport } from '../reports/loans.js';
import type { Report } from '../reports/report.js';

/**
 * The custodian's reports: read-only, each a list of rows with named columns; how one is
 * printed (table, CSV, JSON) is the caller's choice (src/reports/report.ts renders them).
 */
export class Reports {
  constructor(private readonly db: Database) {}

  keysOut(now: Date): Report {
    return keysOutReport(this.db, now);
  }

  overdue(now: Date): Report {
    return overdueReport(this.db, now);
  }

  history(query: HistoryQuery): Report {
    return historyReport(this.db, query);
  }

  /** When older events were pruned, the time of the oldest one still held; else null. */
  prunedBefore(): string | null {
    return prunedBefore(this.db);
  }

  accessMatrix(options: { holderId?: number } = {}): Report {
    return accessMatrixReport(this.db, options);
  }

  audit(options: { findingsOnly?: boolean } = {}): Report {
    const report = auditReport(this.db);
    if (!options.findingsOnly) return report;
    return {
      ...report,
      rows: report.rows.filter((r) => r.findings !== ''),
      empty: 'nothing to report: the inventory agrees with the records',
    };
  }
}
