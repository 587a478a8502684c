import type { Database } from 'better-sqlite3';

/** A `key.duplicate_fob` still in force: the slot's reads conflict. */
export interface DuplicateFobSeen {
  /** The tag reported here while it was also in `otherSlot`. */
  tag: string;
  otherSlot: number;
  /** The registered key with that tag, if any. */
  keyLabel: string | null;
  at: string;
}

/**
 * The `key.duplicate_fob` alarms in force as last known, by slot, replayed from the events (the
 * daemon keeps its alarms in memory only). One is in force until its `alarm.cleared` (the slot
 * read otherwise or emptied) or until the daemon restarts: the restarted daemon starts with no
 * alarm and records a new `key.duplicate_fob` if the fob reader still reports both slots.
 */
const ACTIVE_SQL = `
  SELECT e.time AS at, json_extract(e.payload, '$.data.slot') AS slot,
         json_extract(e.payload, '$.data.tag') AS tag,
         json_extract(e.payload, '$.data.otherSlot') AS otherSlot,
         json_extract(e.payload, '$.data.keyLabel') AS keyLabel
    FROM events e
   WHERE e.type = 'key.duplicate_fob'
     AND e.seq > COALESCE((SELECT MAX(seq) FROM events WHERE type = 'cabinet.started'), 0)
     AND NOT EXISTS (
           SELECT 1 FROM events c
            WHERE c.type = 'alarm.cleared' AND c.seq > e.seq
              AND json_extract(c.payload, '$.data.alarm') = 'key.duplicate_fob'
              AND json_extract(c.payload, '$.data.slot') = json_extract(e.payload, '$.data.slot'))
   ORDER BY e.seq`;

export function activeDuplicateFobs(db: Database): Map<number, DuplicateFobSeen> {
  const rows = db.prepare(ACTIVE_SQL).all() as Array<DuplicateFobSeen & { slot: number }>;
  // A repeated report in one slot renews the alarm: the newest says what is reported now.
  return new Map(rows.map(({ slot, ...seen }) => [slot, seen]));
}
