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
  /** How many match, for the pager. */
  total: number;
}

/**
 * One fixed statement for every combination of filters (a filter left out is NULL and matches
 * everything), so it is compiled once and no SQL is ever built from a request. Rows come in
 * name order through holders_name; the count reads the same filter.
 */
const FILTER = `h.retired = 0
  AND (@text IS NULL OR h.name LIKE @text ESCAPE '\\' OR h.company LIKE @text ESCAPE '\\'
       OR h.id = (SELECT holder_id FROM credentials WHERE card = @card))
  AND (@groupId IS NULL
       OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = @groupId AND m.holder_id = h.id))
  AND (@enabled IS NULL OR h.enabled = @enabled)
  AND (@expired IS NULL
       OR (h.valid_until IS NOT NULL AND h.valid_until <= @now) = @expired)
  AND (@keysOut IS NULL
       OR EXISTS (SELECT 1 FROM loans l WHERE l.holder_id = h.id AND l.returned_at IS NULL)
          = @keysOut)`;

const PAGE_SQL = `SELECT h.id, h.name, h.company, h.enabled, h.valid_from AS validFrom,
       h.valid_until AS validUntil,
       (h.valid_until IS NOT NULL AND h.valid_until <= @now) AS expired,
       (SELECT count(*) FROM credentials c WHERE c.holder_id = h.id) AS cards,
       (SELECT count(*) FROM loans l WHERE l.holder_id = h.id AND l.returned_at IS NULL) AS keysOut
  FROM holders h
 WHERE ${FILTER}
 ORDER BY h.name COLLATE NOCASE, h.id
 LIMIT @limit OFFSET @offset`;

const COUNT_SQL = `SELECT count(*) AS total FROM holders h WHERE ${FILTER}`;

/** `%part%` for LIKE, with LIKE's own wildcards in the part taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);

export function searchHolders(db: Database, search: HolderSearch): HolderPage {
  const params = {
    text: search.text === undefined ? null : containing(search.text),
    // Cards are kept as cleaned: upper-case hex digits.
    card: search.text?.toUpperCase() ?? null,
    groupId: search.groupId ?? null,
    enabled: flag(search.enabled),
    expired: flag(search.expired),
    keysOut: flag(search.keysOut),
    now: search.now,
    limit: search.limit,
    offset: search.offset,
  };
  return db
    .transaction(() => {
      const rows = cachedStatement(db, PAGE_SQL).all(params) as Array<
        Omit<HolderListRow, 'enabled' | 'expired'> & { enabled: number; expired: number }
      >;
      const { total } = cachedStatement(db, COUNT_SQL).get(params) as { total: number };
      return {
        rows: rows.map((r) => ({ ...r, enabled: r.enabled === 1, expired: r.expired === 1 })),
        total,
      };
    })
    .deferred();
}
