import type { Database } from 'better-sqlite3';
import { openLoans } from '../store/report-queries.js';
import { duration, type Report } from './report.js';

/** Keys out now: with whom, since when, due when, and whether they are overdue at `now`. */
export function keysOutReport(db: Database, now: Date): Report {
  return {
    columns: [
      { key: 'keyId', header: 'KEY' },
      { key: 'label', header: 'LABEL' },
      { key: 'slot', header: 'SLOT' },
      { key: 'holderId', header: 'HOLDER' },
      { key: 'holderName', header: 'NAME' },
      { key: 'since', header: 'SINCE', instant: 'minute' },
      { key: 'out', header: 'OUT FOR' },
      { key: 'due', header: 'DUE', instant: 'minute' },
      { key: 'overdue', header: 'OVERDUE' },
    ],
    rows: openLoans(db).map((l) => ({
      ...l,
      out: duration(now.getTime() - Date.parse(l.since)),
      overdue: l.due !== null && Date.parse(l.due) <= now.getTime(),
    })),
    empty: 'every key is in the cabinet',
  };
}

/**
 * Open loans past their due time at `now`, most overdue first. The due time is the one the
 * daemon fixed at check-out (the strictest limit that applied); loans without one never appear.
 */
export function overdueReport(db: Database, now: Date): Report {
  const rows = openLoans(db)
    .filter((l) => l.due !== null && Date.parse(l.due) <= now.getTime())
    .sort((a, b) => (a.due as string).localeCompare(b.due as string))
    .map((l) => ({
      ...l,
      overdueBy: duration(now.getTime() - Date.parse(l.due as string)),
    }));
  return {
    columns: [
      { key: 'keyId', header: 'KEY' },
      { key: 'label', header: 'LABEL' },
      { key: 'holderId', header: 'HOLDER' },
      { key: 'holderName', header: 'NAME' },
      { key: 'since', header: 'SINCE', instant: 'minute' },
      { key: 'due', header: 'DUE', instant: 'minute' },
      { key: 'overdueBy', header: 'OVERDUE BY' },
    ],
    rows,
    empty: 'no key is overdue',
  };
}
