import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../../domain/events.js';
import { filteredUpTo } from '../event-filters.js';
import { cachedStatement, inTransaction } from '../statement-cache.js';

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

/**
 * Where a filter is looked up. The events up to `event_filters`' newest seq are found through
 * that table and its indexes (migration 014); the few recorded since its last fill (normally
 * under a second's worth) are read from `events` itself, so a search never misses an event.
 */
interface Source {
  from: string;
  seq: string;
  type: string;
  holder: string;
  key: string;
  time: string;
}

const FILTERED: Source = {
  // f first (CROSS JOIN keeps the order): its indexes choose the rows, events gives the payload.
  from: 'event_filters f CROSS JOIN events e ON e.seq = f.seq',
  seq: 'f.seq',
  type: 'f.type',
  holder: 'f.holder_id',
  key: 'f.key_id',
  time: 'f.time',
};

// The same values event_filters holds, taken from the event's JSON.
const UNFILTERED: Source = {
  from: 'events e',
  seq: 'e.seq',
  type: 'e.type',
  holder: `json_extract(e.payload, '$.data.holderId')`,
  key: `json_extract(e.payload, '$.data.keyId')`,
  time: 'e.time',
};

/** Each condition as SQL with its one named parameter; only the given ones are used. */
function conditions(source: Source): Record<Condition, string> {
  return {
    type: `${source.type} = @type`,
    holderId: `${source.holder} = @holderId`,
    keyId: `${source.key} = @keyId`,
    // The time conditions keep SQLite off the time index (the `+`): walked in time order, its
    // rows would all be sorted by seq to find the newest; the range's newest seq (below) is the
    // place to start walking down the seq order instead.
    from: `+${source.time} >= @from`,
    to: `+${source.time} < @to`,
    beforeSeq: `${source.seq} < @beforeSeq`,
    afterSeq: `${source.seq} > @afterSeq`,
  };
}

type Condition = 'type' | 'holderId' | 'keyId' | 'from' | 'to' | 'beforeSeq' | 'afterSeq';
const NAMES: readonly Condition[] = [
  'type',
  'holderId',
  'keyId',
  'from',
  'to',
  'beforeSeq',
  'afterSeq',
];
const FILTERS = ['type', 'holderId', 'keyId', 'from', 'to'] as const;

type Bounds = Omit<EventFilter, 'limit'> & { afterSeq?: number };

/**
 * A page of the event log, newest first, filtered in SQL: the statement has only the conditions
 * given (a `@x IS NULL OR …` would keep SQLite off the indexes), from a fixed set of fragments,
 * so a bounded number of statements is ever compiled and cached. Paged by seq rather than by an
 * offset, so the thousandth page costs what the first does; one row more than asked says
 * whether there are more. Read in one snapshot: the events not yet in `event_filters` first
 * (they are the newest), then the rest through it.
 */
export function searchEvents(db: Database, given: EventFilter): EventPage {
  const wanted = given.limit + 1;
  const rows = inTransaction(db, 'deferred', () => {
    const bounds: Bounds = given;
    if (!FILTERS.some((name) => given[name] !== undefined)) {
      return select(db, UNFILTERED, bounds, wanted);
    }
    const upTo = filteredUpTo(db);
    const newest = select(db, UNFILTERED, { ...bounds, afterSeq: upTo }, wanted);
    if (newest.length >= wanted) return newest;
    // event_filters holds nothing above upTo in this snapshot: no bound needed there.
    return [...newest, ...filtered(db, bounds, wanted - newest.length)];
  });
  return {
    events: rows.slice(0, given.limit).map((r) => ({
      event: JSON.parse(r.payload) as RecordedEvent,
      holderName: r.holderName,
      keyLabel: r.keyLabel,
    })),
    more: rows.length > given.limit,
  };
}

interface Row {
  payload: string;
  holderName: string | null;
  keyLabel: string | null;
}

/** The events `event_filters` holds that match, below `bounds.beforeSeq`. */
function filtered(db: Database, given: Bounds, limit: number): Row[] {
  const bounds = { ...given };
  // A holder's or a key's events are few enough to walk through whole; a time range alone
  // may span most of the log.
  const narrow = bounds.holderId !== undefined || bounds.keyId !== undefined;
  if (!narrow && (bounds.from !== undefined || bounds.to !== undefined)) {
    const newest = newestInRange(db, bounds);
    if (newest === null) return [];
    bounds.beforeSeq = newest + 1;
  }
  return select(db, FILTERED, bounds, limit);
}

function select(db: Database, source: Source, bounds: Bounds, limit: number): Row[] {
  const sql = conditions(source);
  const used = NAMES.filter((name) => bounds[name] !== undefined);
  const where = used.length > 0 ? `WHERE ${used.map((name) => sql[name]).join(' AND ')}` : '';
  const statement = `SELECT e.payload,
       (SELECT name FROM holders WHERE id = ${source.holder}) AS holderName,
       (SELECT label FROM keys WHERE id = ${source.key}) AS keyLabel
  FROM ${source.from} ${where} ORDER BY ${source.seq} DESC LIMIT @limit`;
  const parameters: Record<string, string | number> = { limit };
  for (const name of used) parameters[name] = bounds[name] as string | number;
  return cachedStatement(db, statement).all(parameters) as Row[];
}

/**
 * The newest seq with a time in the range (and below the page's start): read from the time index
 * alone. Every event the page shows is at or below it, so walking the seq order down from there
 * finds them at once where time follows seq (it does, but for clock steps, which stay correct and
 * are only read further).
 */
function newestInRange(db: Database, bounds: Bounds): number | null {
  const { seq } = cachedStatement(
    db,
    `SELECT max(seq) AS seq FROM event_filters
      WHERE time >= @from AND time < @to AND seq < @beforeSeq`,
  ).get({
    from: bounds.from ?? '',
    to: bounds.to ?? '\uffff',
    beforeSeq: bounds.beforeSeq ?? Number.MAX_SAFE_INTEGER,
  }) as { seq: number | null };
  return seq;
}
