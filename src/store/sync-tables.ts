import { SECTION_NAMES, type SectionName } from '../domain/permission-set.js';
import { syncTable, type SyncTable, type TableMapping } from './sync-table-sql.js';

export type { SyncTable } from './sync-table-sql.js';

/**
 * Where each section of the permission set is stored: its table, the column of each field,
 * and what the schema adds (retired rows, parking, removals). Sections, fields, order and keys
 * are the domain's (src/domain/permission-set/sections.ts): a section added there gets its
 * entry here, and the mapped types make the compiler ask for it and for each of its fields.
 */
const MAPPINGS: { readonly [S in SectionName]: TableMapping<S> } = {
  holders: {
    table: 'holders',
    columns: {
      id: 'id',
      name: 'name',
      enabled: { flag: 'enabled' },
      validFrom: 'valid_from',
      validUntil: 'valid_until',
      maxKeysOut: 'max_keys_out',
    },
    inForce: 'retired = 0',
    stamped: true,
    revive: 'retired = 0',
    remove: [
      'DELETE FROM holders WHERE id = @id AND NOT EXISTS (SELECT 1 FROM loans WHERE holder_id = @id)',
      'UPDATE holders SET retired = 1, enabled = 0 WHERE id = @id',
    ],
  },
  credentials: {
    table: 'credentials',
    columns: {
      id: 'id',
      holderId: 'holder_id',
      card: 'card',
      enabled: { flag: 'enabled' },
      validFrom: 'valid_from',
      validUntil: 'valid_until',
      pinRequired: { flag: 'pin_required' },
      pinHash: 'pin_hash',
      duressPinHash: 'duress_pin_hash',
    },
    stamped: true,
    // A card is never '#…' (the set allows hex digits only), so the parked value is unique.
    // Credentials are never retired: an added one has no row yet.
    park: {
      sql: "UPDATE credentials SET card = '#' || id WHERE id = @id",
      needed: (before, after) => before !== undefined && before.card !== after.card,
    },
    remove: ['DELETE FROM credentials WHERE id = @id'],
  },
  keys: {
    table: 'keys',
    columns: {
      id: 'id',
      tag: 'tag',
      label: 'label',
      homeSlot: 'home_slot',
      state: 'state',
      tier: 'tier',
      maxLoanMinutes: 'max_loan_minutes',
      curfewMinute: 'curfew_minute',
      returnPolicy: 'return_policy',
    },
    inForce: "state <> 'retired'",
    stamped: true,
    revive: 'retired_tag = NULL',
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
  },
  permissions: {
    table: 'permissions',
    columns: {
      holderId: 'holder_id',
      slot: 'slot',
      validFrom: 'valid_from',
      validUntil: 'valid_until',
      maxLoanMinutes: 'max_loan_minutes',
    },
    stamped: true,
    remove: ['DELETE FROM permissions WHERE holder_id = @holderId AND slot = @slot'],
  },
  accessGroups: {
    table: 'access_groups',
    columns: { id: 'id', name: 'name', maxLoanMinutes: 'max_loan_minutes' },
    stamped: true,
    remove: ['DELETE FROM access_groups WHERE id = @id'],
  },
  groupMembers: {
    table: 'group_members',
    columns: { holderId: 'holder_id', groupId: 'group_id' },
    remove: ['DELETE FROM group_members WHERE holder_id = @holderId AND group_id = @groupId'],
  },
  keySets: {
    table: 'key_sets',
    columns: { id: 'id', name: 'name' },
    stamped: true,
    remove: ['DELETE FROM key_sets WHERE id = @id'],
  },
  keySetMembers: {
    table: 'key_set_members',
    columns: { keySetId: 'key_set_id', keyId: 'key_id' },
    remove: ['DELETE FROM key_set_members WHERE key_set_id = @keySetId AND key_id = @keyId'],
  },
  schedules: {
    table: 'schedules',
    columns: { id: 'id', name: 'name' },
    stamped: true,
    remove: ['DELETE FROM schedules WHERE id = @id'],
  },
  scheduleWindows: {
    table: 'schedule_windows',
    columns: {
      id: 'id',
      scheduleId: 'schedule_id',
      day: 'day',
      startMinute: 'start_minute',
      endMinute: 'end_minute',
    },
    remove: ['DELETE FROM schedule_windows WHERE id = @id'],
  },
  scheduleExceptions: {
    table: 'schedule_exceptions',
    columns: {
      id: 'id',
      scheduleId: 'schedule_id',
      date: 'date',
      kind: 'kind',
      startMinute: 'start_minute',
      endMinute: 'end_minute',
    },
    remove: ['DELETE FROM schedule_exceptions WHERE id = @id'],
  },
  grants: {
    table: 'policy_grants',
    columns: {
      id: 'id',
      holderId: 'holder_id',
      groupId: 'group_id',
      slot: 'slot',
      keySetId: 'key_set_id',
      scheduleId: 'schedule_id',
      validFrom: 'valid_from',
      validUntil: 'valid_until',
      maxLoanMinutes: 'max_loan_minutes',
    },
    stamped: true,
    remove: ['DELETE FROM policy_grants WHERE id = @id'],
  },
  tierRules: {
    table: 'tier_rules',
    columns: {
      tier: 'tier',
      authorisers: 'authorisers',
      authoriserGroupId: 'authoriser_group_id',
      pin: { flag: 'pin' },
      maxLoanMinutes: 'max_loan_minutes',
      reasonCode: { flag: 'reason_code' },
    },
    remove: ['DELETE FROM tier_rules WHERE tier = @tier'],
  },
  reasonCodes: {
    table: 'reason_codes',
    columns: { code: 'code', description: 'description' },
    remove: ['DELETE FROM reason_codes WHERE code = @code'],
  },
};

export const SYNC_TABLES = deriveTables();

function deriveTables(): { readonly [S in SectionName]: SyncTable<S> } {
  const tables = {} as { [S in SectionName]: SyncTable<S> };
  const put = <S extends SectionName>(name: S) => {
    (tables as { [K in S]: SyncTable<K> })[name] = syncTable(name, MAPPINGS[name]);
  };
  for (const name of SECTION_NAMES) put(name);
  return tables;
}

/** Keys out on loan, in the set or retired: they keep their tag and home slot while out. */
export const KEYS_OUT = `SELECT k.id, k.tag, k.home_slot AS homeSlot
                           FROM loans l JOIN keys k ON k.id = l.key_id
                          WHERE l.returned_at IS NULL AND k.tag IS NOT NULL`;
