import type { Database } from 'better-sqlite3';

/** What is physically in a slot as last known. */
export interface SlotSeen {
  occupied: boolean;
  keyId: number | null;
  /** An unknown fob's tag (no key has it). */
  tag: string | null;
  /** When an event last said so; null: no movement recorded, the home key is assumed there. */
  at: string | null;
}

/** The events that move keys in or out of slots, with the fields the replay reads. */
const MOVEMENTS_SQL = `
  SELECT time, type, json_extract(payload, '$.data.slot') AS slot,
         json_extract(payload, '$.data.keyId') AS keyId, json_extract(payload, '$.data.tag') AS tag,
         json_extract(payload, '$.data.alarm') AS alarm
    FROM events
   WHERE type IN ('key.checked_out', 'key.checked_in', 'key.forced', 'key.wrong_slot',
                  'key.unknown_fob', 'alarm.cleared')
   ORDER BY seq DESC`;

interface Movement {
  time: string;
  type: string;
  slot: number | null;
  keyId: number | null;
  tag: string | null;
  alarm: string | null;
}

/**
 * The physical contents of every slot as last known. The daemon keeps the live slot state in
 * memory only, so the last known state is replayed from the events that move keys (their
 * slot-level facts are all recorded); a slot nothing was recorded for is assumed to hold its
 * home key. A cleared `key.forced` alarm means a fob arrived in that slot, and it was the home
 * key: any other registered fob raises `key.wrong_slot`, an unknown one `key.unknown_fob`; a
 * cleared `key.wrong_slot` or `key.unknown_fob` means the fob left. Events pruned after the
 * central server acknowledged them are not replayed; pruning keeps the newest, and old
 * movements are superseded by newer ones for busy slots. Used by `report audit` and
 * `slot list`, so both show the same truth.
 */
export function lastKnownSlots(db: Database): Map<number, SlotSeen> {
  const slots = db.prepare('SELECT number FROM slots ORDER BY number').pluck().all() as number[];
  const homes = db
    .prepare('SELECT id, home_slot AS homeSlot FROM keys WHERE home_slot IS NOT NULL')
    .all() as Array<{ id: number; homeSlot: number }>;
  const homeKey = new Map(homes.map((k) => [k.homeSlot, k.id]));
  const seen = new Map<number, SlotSeen>(
    slots.map((n) => [
      n,
      { occupied: homeKey.has(n), keyId: homeKey.get(n) ?? null, tag: null, at: null },
    ]),
  );
  // Each movement says all there is about its slot, so the newest one per slot decides: read
  // from the newest back and stop once every slot is settled (a busy cabinet reads little).
  const settled = new Set<number>();
  const set = (slot: number | null, value: SlotSeen) => {
    if (slot === null || !seen.has(slot) || settled.has(slot)) return;
    seen.set(slot, value);
    settled.add(slot);
  };
  for (const m of db.prepare(MOVEMENTS_SQL).iterate() as IterableIterator<Movement>) {
    const empty = { occupied: false, keyId: null, tag: null, at: m.time };
    switch (m.type) {
      case 'key.checked_out':
      case 'key.forced':
        set(m.slot, empty);
        break;
      case 'key.checked_in':
      case 'key.wrong_slot':
        set(m.slot, { occupied: true, keyId: m.keyId, tag: null, at: m.time });
        break;
      case 'key.unknown_fob':
        set(m.slot, { occupied: true, keyId: null, tag: m.tag, at: m.time });
        break;
      case 'alarm.cleared':
        if (m.alarm === 'key.forced' && m.slot !== null) {
          set(m.slot, {
            occupied: true,
            keyId: homeKey.get(m.slot) ?? null,
            tag: null,
            at: m.time,
          });
        } else if (m.alarm === 'key.wrong_slot' || m.alarm === 'key.unknown_fob') {
          set(m.slot, empty);
        }
        break;
    }
    if (settled.size === seen.size) break;
  }
  return seen;
}
