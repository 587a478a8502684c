import type { Database } from 'better-sqlite3';
import type { CabinetState } from '../domain/cabinet-state.js';
import type { CabinetDirectory } from '../domain/cabinet-directory.js';

export interface InventorySlot {
  slot: number;
  state: 'empty' | 'occupied';
  /** The registered key in the slot; null when empty or the fob is unknown. */
  key: { id: number; label: string } | null;
  /** The fob's tag when occupied and known to the reader. */
  tag: string | null;
  /** The key whose home this slot is, if any. */
  home: { id: number; label: string } | null;
}

export interface InventoryKeyOut {
  keyId: number;
  label: string;
  homeSlot: number;
  holderId: number;
  holderName: string;
  since: string;
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
    };
  });
  const keysOut = db
    .prepare(
      `SELECT k.id AS keyId, k.label, k.home_slot AS homeSlot, l.holder_id AS holderId,
              h.name AS holderName, l.out_at AS since
         FROM loans l JOIN keys k ON k.id = l.key_id JOIN holders h ON h.id = l.holder_id
        WHERE l.returned_at IS NULL ORDER BY k.id`,
    )
    .all() as InventoryKeyOut[];
  return { cabinetId, slots, keysOut };
}
