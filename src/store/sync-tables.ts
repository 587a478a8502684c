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
/** An optional field of the set as a column value: absent is NULL. */
const nul = <T>(value: T | null | undefined): T | null => value ?? null;
const VALIDITY_JSON = "'validFrom', valid_from, 'validUntil', valid_until";
const bool = (column: string): string => `json(iif(${column}, 'true', 'false'))`;

const holders: SyncTable<'holders'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'name', name,
                                                   'enabled', ${bool('enabled')}, ${VALIDITY_JSON},
                                                   'maxKeysOut', max_keys_out))
                  FROM (SELECT * FROM holders WHERE retired = 0 ORDER BY id)`,
  insert: {
    sql: `INSERT INTO holders (id, name, enabled, valid_from, valid_until, max_keys_out, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled,
            valid_from = excluded.valid_from, valid_until = excluded.valid_until,
            max_keys_out = excluded.max_keys_out, retired = 0`,
    run: (stmt, row, stamp) =>
      stmt.run(
        row.id,
        row.name,
        bit(row.enabled),
        nul(row.validFrom),
        nul(row.validUntil),
        nul(row.maxKeysOut),
        stamp,
      ),
  },
  update: {
    sql: `UPDATE holders SET name = ?, enabled = ?, valid_from = ?, valid_until = ?,
            max_keys_out = ? WHERE id = ?`,
    run: (stmt, row) =>
      stmt.run(
        row.name,
        bit(row.enabled),
        nul(row.validFrom),
        nul(row.validUntil),
        nul(row.maxKeysOut),
        row.id,
      ),
  },
  remove: [
    'DELETE FROM holders WHERE id = @id AND NOT EXISTS (SELECT 1 FROM loans WHERE holder_id = @id)',
    'UPDATE holders SET retired = 1, enabled = 0 WHERE id = @id',
  ],
};

const CREDENTIAL_VALUES = (row: SectionRows['credentials']) =>
  [
    row.holderId,
    row.card,
    bit(row.enabled),
    nul(row.validFrom),
    nul(row.validUntil),
    bit(row.pinRequired ?? false),
    nul(row.pinHash),
    nul(row.duressPinHash),
  ] as const;

const credentials: SyncTable<'credentials'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'holderId', holder_id, 'card', card,
                                                   'enabled', ${bool('enabled')}, ${VALIDITY_JSON},
                                                   'pinRequired', ${bool('pin_required')},
                                                   'pinHash', pin_hash,
                                                   'duressPinHash', duress_pin_hash))
                  FROM (SELECT * FROM credentials ORDER BY id)`,
  insert: {
    sql: `INSERT INTO credentials (id, holder_id, card, enabled, valid_from, valid_until,
            pin_required, pin_hash, duress_pin_hash, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    run: (stmt, row, stamp) => stmt.run(row.id, ...CREDENTIAL_VALUES(row), stamp),
  },
  update: {
    sql: `UPDATE credentials SET holder_id = ?, card = ?, enabled = ?, valid_from = ?, valid_until = ?,
            pin_required = ?, pin_hash = ?, duress_pin_hash = ? WHERE id = ?`,
    run: (stmt, row) => stmt.run(...CREDENTIAL_VALUES(row), row.id),
  },
  // A card is never '#…' (the set allows hex digits only), so the parked value is unique.
  // Credentials are never retired: an added one has no row yet.
  park: {
    sql: "UPDATE credentials SET card = '#' || id WHERE id = @id",
    needed: (before, after) => before !== undefined && before.card !== after.card,
  },
  remove: ['DELETE FROM credentials WHERE id = @id'],
};

const KEY_VALUES = (row: SectionRows['keys']) =>
  [
    row.tag,
    row.label,
    row.homeSlot,
    row.state ?? 'active',
    nul(row.tier),
    nul(row.maxLoanMinutes),
    nul(row.curfewMinute),
    row.returnPolicy ?? 'home',
  ] as const;

const keys: SyncTable<'keys'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'tag', tag, 'label', label,
                                                   'homeSlot', home_slot, 'state', state,
                                                   'tier', tier, 'maxLoanMinutes', max_loan_minutes,
                                                   'curfewMinute', curfew_minute,
                                                   'returnPolicy', return_policy))
                  FROM (SELECT * FROM keys WHERE state <> 'retired' ORDER BY id)`,
  insert: {
    sql: `INSERT INTO keys (id, tag, label, home_slot, state, tier, max_loan_minutes, curfew_minute,
            return_policy, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET tag = excluded.tag, label = excluded.label,
            home_slot = excluded.home_slot, state = excluded.state, tier = excluded.tier,
            max_loan_minutes = excluded.max_loan_minutes, curfew_minute = excluded.curfew_minute,
            return_policy = excluded.return_policy, retired_tag = NULL`,
    run: (stmt, row, stamp) => stmt.run(row.id, ...KEY_VALUES(row), stamp),
  },
  update: {
    sql: `UPDATE keys SET tag = ?, label = ?, home_slot = ?, state = ?, tier = ?,
            max_loan_minutes = ?, curfew_minute = ?, return_policy = ? WHERE id = ?`,
    run: (stmt, row) => stmt.run(...KEY_VALUES(row), row.id),
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
  readCurrent: `SELECT json_group_array(json_object('holderId', holder_id, 'slot', slot,
                                                   ${VALIDITY_JSON},
                                                   'maxLoanMinutes', max_loan_minutes))
                  FROM (SELECT holder_id, slot, valid_from, valid_until, max_loan_minutes
                          FROM permissions ORDER BY holder_id, slot)`,
  insert: {
    sql: `INSERT INTO permissions (holder_id, slot, valid_from, valid_until, max_loan_minutes,
            created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    run: (stmt, row, stamp) =>
      stmt.run(
        row.holderId,
        row.slot,
        nul(row.validFrom),
        nul(row.validUntil),
        nul(row.maxLoanMinutes),
        stamp,
      ),
  },
  update: {
    sql: `UPDATE permissions SET valid_from = ?, valid_until = ?, max_loan_minutes = ?
           WHERE holder_id = ? AND slot = ?`,
    run: (stmt, row) =>
      stmt.run(
        nul(row.validFrom),
        nul(row.validUntil),
        nul(row.maxLoanMinutes),
        row.holderId,
        row.slot,
      ),
  },
  remove: ['DELETE FROM permissions WHERE holder_id = @holderId AND slot = @slot'],
};

/** A group: a named row with a loan limit of its own. */
const accessGroups: SyncTable<'accessGroups'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'name', name,
                                                   'maxLoanMinutes', max_loan_minutes))
                  FROM (SELECT id, name, max_loan_minutes FROM access_groups ORDER BY id)`,
  insert: {
    sql: 'INSERT INTO access_groups (id, name, max_loan_minutes, created_at) VALUES (?, ?, ?, ?)',
    run: (stmt, row, stamp) => stmt.run(row.id, row.name, nul(row.maxLoanMinutes), stamp),
  },
  update: {
    sql: 'UPDATE access_groups SET name = ?, max_loan_minutes = ? WHERE id = ?',
    run: (stmt, row) => stmt.run(row.name, nul(row.maxLoanMinutes), row.id),
  },
  remove: ['DELETE FROM access_groups WHERE id = @id'],
};

/** A named policy row (key set, schedule) in its own table. */
function namedTable<S extends 'keySets' | 'schedules'>(table: string): SyncTable<S> {
  return {
    readCurrent: `SELECT json_group_array(json_object('id', id, 'name', name))
                    FROM (SELECT id, name FROM ${table} ORDER BY id)`,
    insert: {
      sql: `INSERT INTO ${table} (id, name, created_at) VALUES (?, ?, ?)`,
      run: (stmt, row, stamp) => stmt.run(row.id, row.name, stamp),
    },
    update: {
      sql: `UPDATE ${table} SET name = ? WHERE id = ?`,
      run: (stmt, row) => stmt.run(row.name, row.id),
    },
    remove: [`DELETE FROM ${table} WHERE id = @id`],
  };
}

const groupMembers: SyncTable<'groupMembers'> = {
  readCurrent: `SELECT json_group_array(json_object('holderId', holder_id, 'groupId', group_id))
                  FROM (SELECT holder_id, group_id FROM group_members ORDER BY holder_id, group_id)`,
  insert: {
    sql: 'INSERT INTO group_members (holder_id, group_id) VALUES (?, ?)',
    run: (stmt, row) => stmt.run(row.holderId, row.groupId),
  },
  remove: ['DELETE FROM group_members WHERE holder_id = @holderId AND group_id = @groupId'],
};

const keySetMembers: SyncTable<'keySetMembers'> = {
  readCurrent: `SELECT json_group_array(json_object('keySetId', key_set_id, 'keyId', key_id))
                  FROM (SELECT key_set_id, key_id FROM key_set_members ORDER BY key_set_id, key_id)`,
  insert: {
    sql: 'INSERT INTO key_set_members (key_set_id, key_id) VALUES (?, ?)',
    run: (stmt, row) => stmt.run(row.keySetId, row.keyId),
  },
  remove: ['DELETE FROM key_set_members WHERE key_set_id = @keySetId AND key_id = @keyId'],
};

const scheduleWindows: SyncTable<'scheduleWindows'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'scheduleId', schedule_id, 'day', day,
                                                   'startMinute', start_minute, 'endMinute', end_minute))
                  FROM (SELECT * FROM schedule_windows ORDER BY id)`,
  insert: {
    sql: `INSERT INTO schedule_windows (id, schedule_id, day, start_minute, end_minute)
          VALUES (?, ?, ?, ?, ?)`,
    run: (stmt, row) => stmt.run(row.id, row.scheduleId, row.day, row.startMinute, row.endMinute),
  },
  update: {
    sql: `UPDATE schedule_windows SET schedule_id = ?, day = ?, start_minute = ?, end_minute = ?
           WHERE id = ?`,
    run: (stmt, row) => stmt.run(row.scheduleId, row.day, row.startMinute, row.endMinute, row.id),
  },
  remove: ['DELETE FROM schedule_windows WHERE id = @id'],
};

const scheduleExceptions: SyncTable<'scheduleExceptions'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'scheduleId', schedule_id,
                  'date', date, 'kind', kind, 'startMinute', start_minute, 'endMinute', end_minute))
                  FROM (SELECT * FROM schedule_exceptions ORDER BY id)`,
  insert: {
    sql: `INSERT INTO schedule_exceptions (id, schedule_id, date, kind, start_minute, end_minute)
          VALUES (?, ?, ?, ?, ?, ?)`,
    run: (stmt, row) =>
      stmt.run(
        row.id,
        row.scheduleId,
        row.date,
        row.kind,
        nul(row.startMinute),
        nul(row.endMinute),
      ),
  },
  update: {
    sql: `UPDATE schedule_exceptions SET schedule_id = ?, date = ?, kind = ?, start_minute = ?,
            end_minute = ? WHERE id = ?`,
    run: (stmt, row) =>
      stmt.run(
        row.scheduleId,
        row.date,
        row.kind,
        nul(row.startMinute),
        nul(row.endMinute),
        row.id,
      ),
  },
  remove: ['DELETE FROM schedule_exceptions WHERE id = @id'],
};

const GRANT_VALUES = (row: SectionRows['grants']) =>
  [
    nul(row.holderId),
    nul(row.groupId),
    nul(row.slot),
    nul(row.keySetId),
    nul(row.scheduleId),
    nul(row.validFrom),
    nul(row.validUntil),
    nul(row.maxLoanMinutes),
  ] as const;

const grants: SyncTable<'grants'> = {
  readCurrent: `SELECT json_group_array(json_object('id', id, 'holderId', holder_id,
                  'groupId', group_id, 'slot', slot, 'keySetId', key_set_id,
                  'scheduleId', schedule_id, ${VALIDITY_JSON}, 'maxLoanMinutes', max_loan_minutes))
                  FROM (SELECT * FROM policy_grants ORDER BY id)`,
  insert: {
    sql: `INSERT INTO policy_grants (id, holder_id, group_id, slot, key_set_id, schedule_id,
            valid_from, valid_until, max_loan_minutes, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    run: (stmt, row, stamp) => stmt.run(row.id, ...GRANT_VALUES(row), stamp),
  },
  update: {
    sql: `UPDATE policy_grants SET holder_id = ?, group_id = ?, slot = ?, key_set_id = ?,
            schedule_id = ?, valid_from = ?, valid_until = ?, max_loan_minutes = ? WHERE id = ?`,
    run: (stmt, row) => stmt.run(...GRANT_VALUES(row), row.id),
  },
  remove: ['DELETE FROM policy_grants WHERE id = @id'],
};

const TIER_RULE_VALUES = (row: SectionRows['tierRules']) =>
  [
    row.authorisers,
    nul(row.authoriserGroupId),
    bit(row.pin),
    nul(row.maxLoanMinutes),
    bit(row.reasonCode),
  ] as const;

const tierRules: SyncTable<'tierRules'> = {
  readCurrent: `SELECT json_group_array(json_object('tier', tier, 'authorisers', authorisers,
                  'authoriserGroupId', authoriser_group_id, 'pin', ${bool('pin')},
                  'maxLoanMinutes', max_loan_minutes, 'reasonCode', ${bool('reason_code')}))
                  FROM (SELECT * FROM tier_rules ORDER BY tier)`,
  insert: {
    sql: `INSERT INTO tier_rules (tier, authorisers, authoriser_group_id, pin, max_loan_minutes,
            reason_code) VALUES (?, ?, ?, ?, ?, ?)`,
    run: (stmt, row) => stmt.run(row.tier, ...TIER_RULE_VALUES(row)),
  },
  update: {
    sql: `UPDATE tier_rules SET authorisers = ?, authoriser_group_id = ?, pin = ?,
            max_loan_minutes = ?, reason_code = ? WHERE tier = ?`,
    run: (stmt, row) => stmt.run(...TIER_RULE_VALUES(row), row.tier),
  },
  remove: ['DELETE FROM tier_rules WHERE tier = @tier'],
};

const reasonCodes: SyncTable<'reasonCodes'> = {
  readCurrent: `SELECT json_group_array(json_object('code', code, 'description', description))
                  FROM (SELECT * FROM reason_codes ORDER BY code)`,
  insert: {
    sql: 'INSERT INTO reason_codes (code, description) VALUES (?, ?)',
    run: (stmt, row) => stmt.run(row.code, row.description),
  },
  update: {
    sql: 'UPDATE reason_codes SET description = ? WHERE code = ?',
    run: (stmt, row) => stmt.run(row.description, row.code),
  },
  remove: ['DELETE FROM reason_codes WHERE code = @code'],
};

export const SYNC_TABLES: { readonly [S in SectionName]: SyncTable<S> } = {
  holders,
  credentials,
  keys,
  permissions,
  accessGroups,
  groupMembers,
  keySets: namedTable<'keySets'>('key_sets'),
  keySetMembers,
  schedules: namedTable<'schedules'>('schedules'),
  scheduleWindows,
  scheduleExceptions,
  grants,
  tierRules,
  reasonCodes,
};

/** Keys out on loan, in the set or retired: they keep their tag and home slot while out. */
export const KEYS_OUT = `SELECT k.id, k.tag, k.home_slot AS homeSlot
                           FROM loans l JOIN keys k ON k.id = l.key_id
                          WHERE l.returned_at IS NULL AND k.tag IS NOT NULL`;
