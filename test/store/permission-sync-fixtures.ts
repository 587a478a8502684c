import type { Database } from 'better-sqlite3';
import { emptyPolicySections, type PermissionSet } from '../../src/domain/permission-set.js';

export const SLOTS = 6;

/** The counts of the policy's sections when a sync does not touch them. */
export const UNTOUCHED_POLICY = {
  accessGroups: { added: 0, changed: 0, removed: 0 },
  groupMembers: { added: 0, changed: 0, removed: 0 },
  keySets: { added: 0, changed: 0, removed: 0 },
  keySetMembers: { added: 0, changed: 0, removed: 0 },
  schedules: { added: 0, changed: 0, removed: 0 },
  scheduleWindows: { added: 0, changed: 0, removed: 0 },
  scheduleExceptions: { added: 0, changed: 0, removed: 0 },
  grants: { added: 0, changed: 0, removed: 0 },
  tierRules: { added: 0, changed: 0, removed: 0 },
  reasonCodes: { added: 0, changed: 0, removed: 0 },
};

/** Alice's card in baseSet. */
export const ALICE_CARD = '100086F444';

/**
 * Three holders, three cards, three keys, five permissions. Tests change it with `edit`, so
 * each says only what differs.
 */
export function baseSet(version = 1): PermissionSet {
  return {
    version,
    holders: [
      { id: 1, name: 'Alice', enabled: true },
      { id: 2, name: 'Bob', enabled: true },
      { id: 3, name: 'Carol', enabled: false },
    ],
    credentials: [
      { id: 11, holderId: 1, card: '100086F444', enabled: true },
      { id: 12, holderId: 2, card: '0008844356', enabled: true },
      { id: 13, holderId: 3, card: 'ABCDEF', enabled: true },
    ],
    keys: [
      { id: 21, tag: 'A0000001', label: 'K-1', homeSlot: 1 },
      { id: 22, tag: 'A0000002', label: 'K-2', homeSlot: 2 },
      { id: 23, tag: 'A0000003', label: 'K-3', homeSlot: 3 },
    ],
    permissions: [
      { holderId: 1, slot: 1 },
      { holderId: 1, slot: 2 },
      { holderId: 2, slot: 2 },
      { holderId: 2, slot: 3 },
      { holderId: 3, slot: 1 },
    ],
    ...emptyPolicySections(),
  };
}

/** A deep copy of `set` with a new version, changed by `change`. */
export function edit(set: PermissionSet, version: number, change: (s: PermissionSet) => void) {
  const copy = structuredClone(set);
  copy.version = version;
  change(copy);
  return copy;
}

/** Every row of every table a sync may touch, in a stable order: "untouched" means equal. */
export function dumpTables(db: Database): Record<string, unknown[]> {
  const tables: Record<string, string> = {
    holders: 'id',
    credentials: 'id',
    keys: 'id',
    permissions: 'holder_id, slot',
    loans: 'id',
    slots: 'number',
    sync_state: 'id',
  };
  return Object.fromEntries(
    Object.entries(tables).map(([table, order]) => [
      table,
      db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all(),
    ]),
  );
}

/** The set in force as the sync sees it (retired rows are not part of it), sorted. */
export function setInForce(db: Database): Omit<PermissionSet, 'version'> {
  const rows = <T>(sql: string) => db.prepare(sql).all() as T[];
  return {
    holders: rows<{ id: number; name: string; enabled: number }>(
      'SELECT id, name, enabled FROM holders WHERE retired = 0 ORDER BY id',
    ).map((r) => ({ ...r, enabled: r.enabled === 1 })),
    credentials: rows<{ id: number; holderId: number; card: string; enabled: number }>(
      'SELECT id, holder_id AS holderId, card, enabled FROM credentials ORDER BY id',
    ).map((r) => ({ ...r, enabled: r.enabled === 1 })),
    keys: rows(
      `SELECT id, tag, label, home_slot AS homeSlot FROM keys
        WHERE state <> 'retired' ORDER BY id`,
    ),
    permissions: rows(
      'SELECT holder_id AS holderId, slot FROM permissions ORDER BY holder_id, slot',
    ),
    ...emptyPolicySections(),
  };
}

/** `set` without its version, each section sorted as setInForce sorts it. */
export function sorted(set: PermissionSet): Omit<PermissionSet, 'version'> {
  const byId = <T extends { id: number }>(rows: T[]) => [...rows].sort((a, b) => a.id - b.id);
  return {
    holders: byId(set.holders),
    credentials: byId(set.credentials),
    keys: byId(set.keys),
    permissions: [...set.permissions].sort((a, b) => a.holderId - b.holderId || a.slot - b.slot),
    ...emptyPolicySections(),
  };
}

/** A loan as the event projection writes it (src/store/projections.ts). */
export function openLoan(db: Database, keyId: number, holderId: number, slot: number): void {
  db.prepare(
    "INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq) VALUES (?, ?, ?, '2026-11-24T09:00:00Z', 1)",
  ).run(keyId, holderId, slot);
}

export function returnLoan(db: Database, keyId: number): void {
  db.prepare(
    "UPDATE loans SET returned_at = '2026-11-24T10:00:00Z', returned_seq = 2 WHERE key_id = ? AND returned_at IS NULL",
  ).run(keyId);
}
