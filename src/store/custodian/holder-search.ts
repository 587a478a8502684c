import type { Database } from 'better-sqlite3';
import { cachedStatement } from '../statement-cache.js';

/** What the console's people page asks for; every field already checked (src/app). */
export interface HolderSearch {
  /**
   * Part of a name or of a company (case-insensitive), or a whole card number: a card matches
   * only whole, so a search cannot spell out a card number a digit at a time.
   */
  text?: string;
  groupId?: number;
  enabled?: boolean;
  /** true: the validity ended (at `now`); false: it has not. */
  expired?: boolean;
  /** true: has at least one key out; false: none. */
  keysOut?: boolean;
  offset: number;
  limit: number;
  now: string;
}

export interface HolderListRow {
  id: number;
  name: string;
  company: string | null;
  enabled: boolean;
  validFrom: string | null;
  validUntil: string | null;
  /** The validity ended: their access ended by itself. */
  expired: boolean;
  cards: number;
  keysOut: number;
}

export interface HolderPage {
  rows: HolderListRow[];
  /**
   * How many match, for the pager: exact when `moreThanTotal` is false; otherwise more than
   * this many match, and counting stopped there (see COUNT_CAP).
   */
  total: number;
  moreThanTotal: boolean;
}

/**
 * Matches counted at most, before the page says "more than 1,000". An exact count of a broad
 * search reads every holder (100,000 of them, each with its filters' lookups) on every page, and
 * was the slowest part of the search; nobody pages through a thousand people to find one, they
 * narrow the search, and a narrow search (up to this many matches) is still counted exactly.
 */
export const COUNT_CAP = 1_000;

/**
 * Every filter at once, a filter left out being NULL (so it matches everything): the
 * statements below are fixed strings, compiled once, and no SQL is ever built from a request.
 * The group and keys-out filters are sets read once per statement (IN on an uncorrelated
 * subquery), not a lookup for each holder.
 */
const FILTER = `h.retired = 0
  AND (@text IS NULL OR h.name LIKE @text ESCAPE '\\' OR h.company LIKE @text ESCAPE '\\'
       OR h.id = (SELECT holder_id FROM credentials WHERE card = @card))
  AND (@groupId IS NULL
       OR h.id IN (SELECT m.holder_id FROM group_members m WHERE m.group_id = @groupId))
  AND (@enabled IS NULL OR h.enabled = @enabled)
  AND (@expired IS NULL
       OR (h.valid_until IS NOT NULL AND h.valid_until <= @now) = @expired)
  AND (@keysOut IS NULL
       OR (h.id IN (SELECT l.holder_id FROM loans l WHERE l.returned_at IS NULL)) = @keysOut)`;

/**
 * The matching holders' ids, at most COUNT_CAP + 1 of them, read from where the search's
 * narrowest filter points: the open loans (a holder with keys out), the group's members, the
 * validity-end index (expired), else every holder. Which one is chosen by which filters are
 * set, never by their values.
 */
const MATCHES_SQL = {
  keysOut: `SELECT DISTINCT h.id FROM loans l JOIN holders h ON h.id = l.holder_id
             WHERE l.returned_at IS NULL AND ${FILTER} LIMIT @cap`,
  group: `SELECT h.id FROM group_members m JOIN holders h ON h.id = m.holder_id
           WHERE m.group_id = @groupId AND ${FILTER} LIMIT @cap`,
  expired: `SELECT h.id FROM holders h INDEXED BY holders_valid_until
             WHERE h.valid_until IS NOT NULL AND h.valid_until <= @now AND ${FILTER} LIMIT @cap`,
  any: `SELECT h.id FROM holders h WHERE ${FILTER} LIMIT @cap`,
} as const;

const ROW = `h.id, h.name, h.company, h.enabled, h.valid_from AS validFrom,
       h.valid_until AS validUntil,
       (h.valid_until IS NOT NULL AND h.valid_until <= @now) AS expired,
       (SELECT count(*) FROM credentials c WHERE c.holder_id = h.id) AS cards,
       (SELECT count(*) FROM loans l WHERE l.holder_id = h.id AND l.returned_at IS NULL) AS keysOut`;

/** A page of a counted search: the matches are known, so only they are sorted. */
const PAGE_OF_MATCHES_SQL = `SELECT ${ROW}
  FROM holders h
 WHERE h.id IN (SELECT value FROM json_each(@ids))
 ORDER BY h.name COLLATE NOCASE, h.id
 LIMIT @limit OFFSET @offset`;

/**
 * A page of a broad search: walked in name order through holders_name, which finds a page's
 * rows after a few reads when many holders match. One row more than the page says whether
 * another page follows.
 */
const PAGE_IN_NAME_ORDER_SQL = `SELECT ${ROW}
  FROM holders h
 WHERE ${FILTER}
 ORDER BY h.name COLLATE NOCASE, h.id
 LIMIT @limit + 1 OFFSET @offset`;

type Row = Omit<HolderListRow, 'enabled' | 'expired'> & { enabled: number; expired: number };

/** `%part%` for LIKE, with LIKE's own wildcards in the part taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);

function matchesSql(search: HolderSearch): string {
  if (search.keysOut === true) return MATCHES_SQL.keysOut;
  if (search.groupId !== undefined) return MATCHES_SQL.group;
  if (search.expired === true) return MATCHES_SQL.expired;
  return MATCHES_SQL.any;
}

export function searchHolders(db: Database, search: HolderSearch): HolderPage {
  const filters = {
    text: search.text === undefined ? null : containing(search.text),
    // Cards are kept as cleaned: upper-case hex digits.
    card: search.text?.toUpperCase() ?? null,
    groupId: search.groupId ?? null,
    enabled: flag(search.enabled),
    expired: flag(search.expired),
    keysOut: flag(search.keysOut),
    now: search.now,
  };
  const page = { now: search.now, limit: search.limit, offset: search.offset };
  // One read transaction: the count and the page see the same holders.
  return db
    .transaction((): HolderPage => {
      const ids = cachedStatement(db, matchesSql(search))
        .all({ ...filters, cap: COUNT_CAP + 1 })
        .map((r) => (r as { id: number }).id);
      if (ids.length <= COUNT_CAP) {
        const rows = cachedStatement(db, PAGE_OF_MATCHES_SQL).all({
          ...page,
          ids: JSON.stringify(ids),
        }) as Row[];
        return { rows: rows.map(listRow), total: ids.length, moreThanTotal: false };
      }
      const rows = cachedStatement(db, PAGE_IN_NAME_ORDER_SQL).all({
        ...filters,
        ...page,
      }) as Row[];
      const shown = rows.slice(0, search.limit).map(listRow);
      if (rows.length > search.limit) {
        // Another page follows: more than COUNT_CAP, and more than this page's last row.
        return {
          rows: shown,
          total: Math.max(COUNT_CAP, search.offset + search.limit),
          moreThanTotal: true,
        };
      }
      // The walk reached the end: the rows before the page and on it are all there are. A
      // page past the end only knows that more than COUNT_CAP match.
      return shown.length > 0
        ? { rows: shown, total: search.offset + shown.length, moreThanTotal: false }
        : { rows: [], total: COUNT_CAP, moreThanTotal: true };
    })
    .deferred();
}

function listRow(r: Row): HolderListRow {
  return { ...r, enabled: r.enabled === 1, expired: r.expired === 1 };
}
