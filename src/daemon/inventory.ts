import type { Database } from 'better-sqlite3';
import type { CabinetState } from '../domain/cabinet-state.js';
import type { CabinetDirectory } from '../domain/cabinet-directory.js';
import { cachedStatement } from '../store/statement-cache.js';

export interface InventorySlot {
  slot: number;
  state: 'empty' | 'occupied';
  /** The registered key in the slot; null when empty or the fob is unknown. */
  key: { id: number; label: string } | null;
  /** The fob's tag when occupied and known to the reader. */
  tag: string | null;
  /** The key whose home this slot is, if any. */
  home: { id: number; label: string } | null;
  /**
   * A tag the fob reader reports here while the same tag is in another slot (`key.duplicate_fob`,
   * a cloned fob or a forged report): `key` and `tag` stay what was recorded before, and the
   * slot is withheld from sessions until it reads otherwise. Null when the reads agree.
   */
  duplicateTag: string | null;
}

export interface InventoryKeyOut {
  keyId: number;
  label: string;
  homeSlot: number;
  holderId: number;
  holderName: string;
  since: string;
  /** When it is due back; null when no loan limit applies. */
  dueAt: string | null;
  /** Out past its due time (`key.overdue` was recorded). */
  overdue: boolean;
  /** Its holder was disabled (a departure) while holding it: it must be recovered. */
  outstanding: boolean;
}

export interface InventoryPayload {
  cabinetId: string;
  slots: InventorySlot[];
  keysOut: InventoryKeyOut[];
}

/** What is in the cabinet now (from the sensors) and who holds what is out (from the loans). */
export function buildInventory(
  cabinetId: string,
  state: CabinetState,
  directory: CabinetDirectory,
  db: Database,
): InventoryPayload {
  const slots = state.slots.map((s, i): InventorySlot => {
    const key = s.tag ? directory.keyByTag(s.tag) : undefined;
    const home = directory.keyByHomeSlot(i + 1);
    return {
      slot: i + 1,
      state: s.occupied ? 'occupied' : 'empty',
      key: key ? { id: key.id, label: key.label } : null,
      tag: s.occupied ? s.tag : null,
      home: home ? { id: home.id, label: home.label } : null,
      duplicateTag: s.duplicateTag ?? null,
    };
  });
  // Built at every change of the cabinet's state: the statement is compiled once.
  const rows = cachedStatement(
    db,
    `SELECT k.id AS keyId, k.label, k.home_slot AS homeSlot, l.holder_id AS holderId,
              h.name AS holderName, l.out_at AS since, l.due_at AS dueAt,
              l.overdue_at IS NOT NULL AS overdue, h.enabled = 0 AS outstanding
         FROM loans l JOIN keys k ON k.id = l.key_id JOIN holders h ON h.id = l.holder_id
        WHERE l.returned_at IS NULL ORDER BY k.id`,
  ).all() as Array<
    Omit<InventoryKeyOut, 'overdue' | 'outstanding'> & Record<'overdue' | 'outstanding', number>
  >;
  const keysOut = rows.map((row) => ({
    ...row,
    overdue: row.overdue === 1,
    outstanding: row.outstanding === 1,
  }));
  return { cabinetId, slots, keysOut };
}
