import type { Database } from 'better-sqlite3';
import { eventsNaming, oldestEvent } from '../store/report-queries.js';
import { eventDetails } from './event-details.js';
import { requireRecord } from './known-record.js';
import type { Cell, Report } from './report.js';

export interface HistoryQuery {
  keyId?: number;
  holderId?: number;
  /** ISO 8601 UTC; from is inclusive, to exclusive, like every validity window here. */
  from?: string;
  to?: string;
}

/** Fields shown in their own columns; the rest of an event's data goes to DETAILS. */
const COLUMNS = ['slot', 'keyId', 'keyLabel', 'holderId', 'holderName'] as const;

/**
 * What happened to a key, or what a holder did, from the event log (the truth the central
 * server also holds). Events pruned after the server acknowledged them are no longer here:
 * the report says from which time on it is complete.
 */
export function historyReport(db: Database, query: HistoryQuery): Report {
  const name = query.keyId !== undefined ? 'keyId' : 'holderId';
  const id = query.keyId ?? query.holderId;
  if (id === undefined) throw new Error('historyReport needs a keyId or a holderId');
  requireRecord(db, name === 'keyId' ? 'key' : 'holder', id);
  const events = eventsNaming(db, name, id, query.from, query.to);
  return {
    columns: [
      { key: 'seq', header: 'SEQ' },
      { key: 'time', header: 'TIME', instant: 'second' },
      { key: 'type', header: 'EVENT' },
      { key: 'slot', header: 'SLOT' },
      { key: 'keyId', header: 'KEY' },
      { key: 'keyLabel', header: 'LABEL' },
      { key: 'holderId', header: 'HOLDER' },
      { key: 'holderName', header: 'NAME' },
      { key: 'details', header: 'DETAILS' },
    ],
    rows: events.map((e) => {
      const data = JSON.parse(e.data) as Record<string, unknown>;
      const row: Record<string, Cell> = { seq: e.seq, time: e.time, type: e.type };
      for (const c of COLUMNS) row[c] = (data[c] as Cell | undefined) ?? null;
      if (
        row.holderName === null &&
        typeof data.name === 'string' &&
        query.holderId !== undefined
      ) {
        row.holderName = data.name;
      }
      // The fields with a column of their own are left out of the rest.
      row.details = eventDetails(data, { skip: COLUMNS });
      return row;
    }),
    empty: `no events for ${query.keyId !== undefined ? `key ${query.keyId}` : `holder ${query.holderId}`}${
      query.from || query.to ? ' in that period' : ''
    }`,
  };
}

/**
 * The time of the oldest event still held when older ones were pruned (sequence numbers start
 * at 1 and are never reused), else null: the log is complete.
 */
export function prunedBefore(db: Database): string | null {
  const first = oldestEvent(db);
  return first && first.seq > 1 ? first.time : null;
}
