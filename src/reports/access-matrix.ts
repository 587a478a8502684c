import type { Database } from 'better-sqlite3';
import { requireRecord } from './known-record.js';
import type { Report } from './report.js';

/**
 * Every way a holder may take the key of a slot: direct permissions, and grants to the holder
 * or to one of their groups, on a slot or on a key set (resolved to its keys' home slots; a
 * vacated key has none). One row per holder, slot and source, so that a permission that is
 * given twice shows twice and revoking one of them is seen not to close the slot.
 */
const MATRIX_SQL = `
WITH sources AS (
  SELECT p.holder_id, p.slot, 'direct' AS via, NULL AS schedule_id,
         p.valid_from, p.valid_until, p.max_loan_minutes
    FROM permissions p
  UNION ALL
  SELECT coalesce(g.holder_id, m.holder_id),
         coalesce(g.slot, k.home_slot),
         'grant ' || g.id
           || CASE WHEN g.group_id IS NULL THEN '' ELSE ' to group "' || ag.name || '"' END
           || CASE WHEN g.key_set_id IS NULL THEN '' ELSE ' on key set "' || ks.name || '"' END,
         g.schedule_id, g.valid_from, g.valid_until,
         coalesce(g.max_loan_minutes, ag.max_loan_minutes)
    FROM policy_grants g
    LEFT JOIN group_members m ON m.group_id = g.group_id
    LEFT JOIN access_groups ag ON ag.id = g.group_id
    LEFT JOIN key_set_members sm ON sm.key_set_id = g.key_set_id
    LEFT JOIN key_sets ks ON ks.id = g.key_set_id
    LEFT JOIN keys k ON k.id = sm.key_id
   WHERE (g.holder_id IS NOT NULL OR m.holder_id IS NOT NULL)
     AND (g.slot IS NOT NULL OR k.home_slot IS NOT NULL)
)
SELECT h.id AS holderId, h.name AS holderName,
       CASE WHEN h.enabled = 1 THEN 'enabled' ELSE 'disabled' END AS holderState,
       s.slot, k.id AS keyId, k.label AS keyLabel, k.state AS keyState, s.via,
       coalesce(sc.name, 'any time') AS schedule,
       -- The holder's own validity narrows every permission of theirs.
       CASE WHEN h.valid_from IS NULL THEN s.valid_from WHEN s.valid_from IS NULL THEN h.valid_from
            ELSE max(h.valid_from, s.valid_from) END AS validFrom,
       CASE WHEN h.valid_until IS NULL THEN s.valid_until WHEN s.valid_until IS NULL THEN h.valid_until
            ELSE min(h.valid_until, s.valid_until) END AS validUntil,
       s.max_loan_minutes AS maxLoanMinutes
  FROM sources s
  JOIN holders h ON h.id = s.holder_id AND h.retired = 0
  LEFT JOIN keys k ON k.home_slot = s.slot
  LEFT JOIN schedules sc ON sc.id = s.schedule_id
 WHERE @holder IS NULL OR h.id = @holder
 ORDER BY h.id, s.slot, s.via`;

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
    rows: db.prepare(MATRIX_SQL).all({ holder: options.holderId ?? null }) as Report['rows'],
    empty:
      options.holderId === undefined
        ? 'no holder may take any key'
        : `holder ${options.holderId} may take no key`,
  };
}
