import type { Statement } from 'better-sqlite3';
import type { SectionName, SectionRows } from '../domain/permission-set.js';

/**
 * How one section of the permission set is stored: the SQL the sync runs for it, and nothing
 * else. A section added to SECTIONS in the domain gets its entry here (the mapped type below
 * makes the compiler ask for it); the sync itself does not change.
 */
export interface SyncTable<S extends SectionName> {
  /**
   * The rows of the set in force as one JSON array of row objects shaped like the set's own,
   * in key order so the diff need not sort them. SQLite builds the JSON faster than
   * better-sqlite3 builds 100,000 row objects.
   */
  readCurrent: string;
  /** Writes a new row, or brings back a retired one with the same id. */
  insert: Write<S, [stamp: string]>;
  /** Writes a changed row's fields. Absent when a row is nothing but its identity. */
  update?: Write<S, []>;
  /**
   * Clears a row's unique columns before any row takes its new values, so two rows may swap a
   * card, a tag or a slot in one sync. Asked for changed rows and for added ones (`before`
   * undefined: a retired row with the same id may still hold values). Named parameters: the row.
   */
  park?: {
    sql: string;
    needed(before: SectionRows[S] | undefined, after: SectionRows[S]): boolean;
  };
  /** Tried in order with the row as named parameters; the first that changes a row removes it. */
  remove: readonly string[];
}

/**
 * A statement and how to run it for a row: with positional values, not an array of them, as a
 * large sync runs it 200,000 times (booleans become 0/1, which is what SQLite stores).
 */
interface Write<S extends SectionName, Extra extends unknown[]> {
  sql: string;
  run(stmt: Statement, row: SectionRows[S], ...extra: Extra): void;
}

const bit = (value: boolean): number => (value ? 1 : 0);
const bool = (column: string): string => `json(iif(${column}, 'true', 'false'))`;

const holders: SyncTable<'holders'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'name', name,
                                                   'enabled', ${bool('enabled')}))
                  FROM (SELECT * FROM holders WHERE retired = 0 ORDER BY id)`,
  insert: {
    sql: `INSERT INTO holders (id, name, enabled, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled,
                                         retired = 0`,
    run: (stmt, row, stamp) => stmt.run(row.id, row.name, bit(row.enabled), stamp),
  },
  update: {
    sql: 'UPDATE holders SET name = ?, enabled = ? WHERE id = ?',
    run: (stmt, row) => stmt.run(row.name, bit(row.enabled), row.id),
  },
  remove: [
    'DELETE FROM holders WHERE id = @id AND NOT EXISTS (SELECT 1 FROM loans WHERE holder_id = @id)',
    'UPDATE holders SET retired = 1, enabled = 0 WHERE id = @id',
  ],
};

const credentials: SyncTable<'credentials'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'holderId', holder_id, 'card', card,
                                                   'enabled', ${bool('enabled')}))
                  FROM (SELECT * FROM credentials ORDER BY id)`,
  insert: {
    sql: 'INSERT INTO credentials (id, holder_id, card, enabled, created_at) VALUES (?, ?, ?, ?, ?)',
    run: (stmt, row, stamp) => stmt.run(row.id, row.holderId, row.card, bit(row.enabled), stamp),
  },
  update: {
    sql: 'UPDATE credentials SET holder_id = ?, card = ?, enabled = ? WHERE id = ?',
    run: (stmt, row) => stmt.run(row.holderId, row.card, bit(row.enabled), row.id),
  },
  // A card is never '#…' (the set allows hex digits only), so the parked value is unique.
  // Credentials are never retired: an added one has no row yet.
  park: {
    sql: "UPDATE credentials SET card = '#' || id WHERE id = @id",
    needed: (before, after) => before !== undefined && before.card !== after.card,
  },
  remove: ['DELETE FROM credentials WHERE id = @id'],
};

const keys: SyncTable<'keys'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'tag', tag, 'label', label,
                                                   'homeSlot', home_slot))
                  FROM (SELECT * FROM keys WHERE state <> 'retired' ORDER BY id)`,
  insert: {
    sql: `INSERT INTO keys (id, tag, label, home_slot, created_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET tag = excluded.tag, label = excluded.label,
            home_slot = excluded.home_slot, state = 'active', retired_tag = NULL`,
    run: (stmt, row, stamp) => stmt.run(row.id, row.tag, row.label, row.homeSlot, stamp),
  },
  update: {
    sql: 'UPDATE keys SET tag = ?, label = ?, home_slot = ? WHERE id = ?',
    run: (stmt, row) => stmt.run(row.tag, row.label, row.homeSlot, row.id),
  },
  // An added key may be a retired one still out on loan, holding its old tag and slot.
  park: {
    sql: 'UPDATE keys SET tag = NULL, home_slot = NULL WHERE id = @id',
    needed: (before, after) =>
      before === undefined || before.tag !== after.tag || before.homeSlot !== after.homeSlot,
  },
  // migrations/003_permission_sync.sql explains delete, retire-and-vacate, retire while out.
  remove: [
    'DELETE FROM keys WHERE id = @id AND NOT EXISTS (SELECT 1 FROM loans WHERE key_id = @id)',
    `UPDATE keys SET state = 'retired', retired_tag = tag, tag = NULL, home_slot = NULL
      WHERE id = @id
        AND NOT EXISTS (SELECT 1 FROM loans WHERE key_id = @id AND returned_at IS NULL)`,
    "UPDATE keys SET state = 'retired' WHERE id = @id",
  ],
};

const permissions: SyncTable<'permissions'> = {
  readCurrent: `SELECT json_group_array(json_object('holderId', holder_id, 'slot', slot))
                  FROM (SELECT holder_id, slot FROM permissions ORDER BY holder_id, slot)`,
  insert: {
    sql: 'INSERT INTO permissions (holder_id, slot, created_at) VALUES (?, ?, ?)',
    run: (stmt, row, stamp) => stmt.run(row.holderId, row.slot, stamp),
  },
  remove: ['DELETE FROM permissions WHERE holder_id = @holderId AND slot = @slot'],
};

export const SYNC_TABLES: { readonly [S in SectionName]: SyncTable<S> } = {
  holders,
  credentials,
  keys,
  permissions,
};

/** Keys out on loan, in the set or retired: they keep their tag and home slot while out. */
export const KEYS_OUT = `SELECT k.id, k.tag, k.home_slot AS homeSlot
                           FROM loans l JOIN keys k ON k.id = l.key_id
                          WHERE l.returned_at IS NULL AND k.tag IS NOT NULL`;
