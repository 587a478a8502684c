import type { Database } from 'better-sqlite3';
import { listSlots, type SlotRow } from './keys.js';

/** A slot as the console's overview shows it: the records, the physical truth, the loan. */
export interface SlotOverviewRow extends SlotRow {
  /** Who has the key, by name, when it is out. */
  holderName: string | null;
  /** When it is due back (the loan's limit), null for no limit. */
  dueAt: string | null;
}

/**
 * Each slot with its key, what was last seen hanging in it (`inSlot`, the fob reader's truth),
 * and for a key on loan who has it, since when and until when.
 */
export function slotOverview(db: Database): SlotOverviewRow[] {
  const loans = new Map(
    (
      db
        .prepare(
          `SELECT l.key_id AS keyId, h.name AS holderName, l.due_at AS dueAt
             FROM loans l JOIN holders h ON h.id = l.holder_id WHERE l.returned_at IS NULL`,
        )
        .all() as Array<{ keyId: number; holderName: string; dueAt: string | null }>
    ).map((l) => [l.keyId, l]),
  );
  return listSlots({ db }).map((slot) => {
    const loan = slot.keyId === null ? undefined : loans.get(slot.keyId);
    return { ...slot, holderName: loan?.holderName ?? null, dueAt: loan?.dueAt ?? null };
  });
}
