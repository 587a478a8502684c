import type { Database } from 'better-sqlite3';
import { cachedStatement } from '../statement-cache.js';

/** Who may take what, for one page of holders: the console's access matrix. */
export interface AccessMatrixPage {
  /** The page's holders, by id. */
  holders: Array<{ id: number; name: string; enabled: boolean }>;
  /** Holders not retired, in all: how many pages there are. */
  total: number;
  /** Every slot with the key that lives there: the matrix's columns. */
  slots: Array<{ slot: number; keyId: number | null; keyLabel: string | null }>;
  /** One per holder, slot and way (a permission given twice shows twice). */
  cells: Array<{
    holderId: number;
    slot: number;
    via: string;
    /** The schedule's name; null: any time. */
    schedule: string | null;
    /** When this way ends (ISO 8601 UTC); the holder's own validity is shown with the holder. */
    validUntil: string | null;
  }>;
}

/**
 * The ways the page's holders may take a slot's key: direct permissions, grants to the holder
 * and grants to their groups, on a slot or on a key set (its keys' home slots). The same
 * sources as the access matrix report (src/store/report-queries.ts), but started from the
 * page's holders so that it reads their rows through the holder indexes, never every holder's:
 * a group of 100,000 members costs the page what its 50 members on the page cost.
 */
const CELLS_SQL = `
WITH page(id) AS (SELECT value FROM json_each(@ids)),
member_grants AS (
  SELECT m.holder_id, g.id, g.group_id, g.slot, g.key_set_id, g.schedule_id, g.valid_until
    FROM page JOIN group_members m ON m.holder_id = page.id
    JOIN policy_grants g ON g.group_id = m.group_id
  UNION ALL
  SELECT g.holder_id, g.id, g.group_id, g.slot, g.key_set_id, g.schedule_id, g.valid_until
    FROM page JOIN policy_grants g ON g.holder_id = page.id
)
SELECT p.holder_id AS holderId, p.slot, 'direct' AS via, NULL AS schedule,
       p.valid_until AS validUntil
  FROM page JOIN permissions p ON p.holder_id = page.id
UNION ALL
SELECT mg.holder_id, coalesce(mg.slot, k.home_slot),
       'grant ' || mg.id
         || CASE WHEN mg.group_id IS NULL THEN '' ELSE ' to group "' || ag.name || '"' END
         || CASE WHEN mg.key_set_id IS NULL THEN '' ELSE ' on key set "' || ks.name || '"' END,
       sc.name, mg.valid_until
  FROM member_grants mg
  LEFT JOIN access_groups ag ON ag.id = mg.group_id
  LEFT JOIN key_set_members sm ON sm.key_set_id = mg.key_set_id
  LEFT JOIN key_sets ks ON ks.id = mg.key_set_id
  LEFT JOIN keys k ON k.id = sm.key_id
  LEFT JOIN schedules sc ON sc.id = mg.schedule_id
 WHERE mg.slot IS NOT NULL OR k.home_slot IS NOT NULL
 ORDER BY 1, 2, 3`;

export function accessMatrixPage(
  db: Database,
  page: { offset: number; limit: number },
): AccessMatrixPage {
  return db
    .transaction((): AccessMatrixPage => {
      const holders = (
        cachedStatement(
          db,
          'SELECT id, name, enabled FROM holders WHERE retired = 0 ORDER BY id LIMIT ? OFFSET ?',
        ).all(page.limit, page.offset) as Array<{ id: number; name: string; enabled: number }>
      ).map((h) => ({ ...h, enabled: h.enabled === 1 }));
      const { total } = cachedStatement(
        db,
        'SELECT count(*) AS total FROM holders WHERE retired = 0',
      ).get() as { total: number };
      const slots = cachedStatement(
        db,
        `SELECT s.number AS slot, k.id AS keyId, k.label AS keyLabel
           FROM slots s LEFT JOIN keys k ON k.home_slot = s.number ORDER BY s.number`,
      ).all() as AccessMatrixPage['slots'];
      const cells = cachedStatement(db, CELLS_SQL).all({
        ids: JSON.stringify(holders.map((h) => h.id)),
      }) as AccessMatrixPage['cells'];
      return { holders, total, slots, cells };
    })
    .deferred();
}
