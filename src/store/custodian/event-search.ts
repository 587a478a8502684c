import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../../domain/events.js';
import { cachedStatement } from '../statement-cache.js';

/** Which events to show: every given condition must hold (all checked by src/app). */
export interface EventFilter {
  type?: string;
  /** Events whose data names this holder, or this key. */
  holderId?: number;
  keyId?: number;
  /** ISO 8601 UTC; from inclusive, to exclusive, like every window here. */
  from?: string;
  to?: string;
  /** Only events older than this seq: the next page after one that ended there. */
  beforeSeq?: number;
  limit: number;
}

/** One event as the log shows it, with the names of the holder and key it names, if any. */
export interface FoundEvent {
  event: RecordedEvent;
  holderName: string | null;
  keyLabel: string | null;
}

export interface EventPage {
  /** Newest first. */
  events: FoundEvent[];
  /** Older events match too: ask again with beforeSeq = the last one's seq. */
  more: boolean;
}

// The expressions are those of the indexes in migrations/013_event_filters.sql, written the
// same way so that SQLite uses them.
const HOLDER = `json_extract(e.payload, '$.data.holderId')`;
const KEY = `json_extract(e.payload, '$.data.keyId')`;

/** Each condition as SQL with its one named parameter; only the given ones are used. */
const CONDITIONS = {
  type: 'e.type = @type',
  holderId: `${HOLDER} = @holderId`,
  keyId: `${KEY} = @keyId`,
  // The time conditions keep SQLite off the time index (the `+`): walked in time order, its
  // rows would all be sorted by seq to find the newest; the range's newest seq (below) is the
  // place to start walking down the seq order instead.
  from: '+e.time >= @from',
  to: '+e.time < @to',
  beforeSeq: 'e.seq < @beforeSeq',
} as const;

type Condition = keyof typeof CONDITIONS;
const NAMES = Object.keys(CONDITIONS) as Condition[];

/**
 * A page of the event log, newest first, filtered in SQL: the statement has only the conditions
 * given (a `@x IS NULL OR …` would keep SQLite off the indexes), from a fixed set of fragments,
 * so at most 64 statements are ever compiled and cached. Paged by seq rather than by an offset,
 * so the thousandth page costs what the first does; one row more than asked says whether
 * there are more.
 */
export function searchEvents(db: Database, given: EventFilter): EventPage {
  const filter = { ...given };
  // A holder's or a key's events are few enough to walk through whole; a time range alone
  // may span most of the log.
  const narrow = filter.holderId !== undefined || filter.keyId !== undefined;
  if (!narrow && (filter.from !== undefined || filter.to !== undefined)) {
    const newest = newestInRange(db, filter);
    if (newest === null) return { events: [], more: false };
    filter.beforeSeq = newest + 1;
  }
  const used = NAMES.filter((name) => filter[name] !== undefined);
  const where =
    used.length > 0 ? `WHERE ${used.map((name) => CONDITIONS[name]).join(' AND ')}` : '';
  const sql = `SELECT e.payload,
       (SELECT name FROM holders WHERE id = ${HOLDER}) AS holderName,
       (SELECT label FROM keys WHERE id = ${KEY}) AS keyLabel
  FROM events e ${where} ORDER BY e.seq DESC LIMIT @limit`;
  const parameters: Record<string, string | number> = { limit: filter.limit + 1 };
  for (const name of used) parameters[name] = filter[name] as string | number;
  const rows = cachedStatement(db, sql).all(parameters) as Array<{
    payload: string;
    holderName: string | null;
    keyLabel: string | null;
  }>;
  return {
    events: rows.slice(0, filter.limit).map((r) => ({
      event: JSON.parse(r.payload) as RecordedEvent,
      holderName: r.holderName,
      keyLabel: r.keyLabel,
    })),
    more: rows.length > filter.limit,
  };
}

/**
 * The newest seq with a time in the range (and below the page's start): read from the time index
 * alone. Every event the page shows is at or below it, so walking the seq order down from there
 * finds them at once where time follows seq (it does, but for clock steps, which stay correct and
 * are only read further).
 */
function newestInRange(db: Database, filter: EventFilter): number | null {
  const { seq } = cachedStatement(
    db,
    `SELECT max(seq) AS seq FROM events
      WHERE time >= @from AND time < @to AND seq < @beforeSeq`,
  ).get({
    from: filter.from ?? '',
    to: filter.to ?? '\uffff',
    beforeSeq: filter.beforeSeq ?? Number.MAX_SAFE_INTEGER,
  }) as { seq: number | null };
  return seq;
}
