import { describe, expect, it } from 'vitest';
import type { PermissionSet } from '../../src/domain/permission-set.js';
import type { Database } from '../../src/store/database.js';
import { applyPermissionSync } from '../../src/store/permission-sync.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { useTempDb } from '../support/temp-db.js';
import { baseSet, dumpTables, edit, SLOTS, UNTOUCHED_POLICY } from './permission-sync-fixtures.js';

const temp = useTempDb();
const options = { slotCount: SLOTS, now: () => new Date('2026-11-24T09:00:00Z') };

/**
 * baseSet plus the policy: Alice and Bob in group Night (7); key set Store (30) = keys 22, 23;
 * schedule Evenings (5) with two windows and a holiday; Night may take Store in the evenings;
 * Carol slot 4 until the end of the year. Key 23 is lost; Bob's badge expires.
 */
function policySet(version: number): PermissionSet {
  return edit(baseSet(), version, (s) => {
    s.holders[0]!.validUntil = '2026-12-31T18:00:00Z';
    s.credentials[1]!.validFrom = '2026-01-01T00:00:00Z';
    s.credentials[1]!.validUntil = '2027-01-01T00:00:00Z';
    s.permissions[0]!.validUntil = '2026-12-01T00:00:00Z';
    s.keys[2]!.state = 'lost';
    s.accessGroups = [{ id: 7, name: 'Night' }];
    s.groupMembers = [
      { holderId: 1, groupId: 7 },
      { holderId: 2, groupId: 7 },
    ];
    s.keySets = [{ id: 30, name: 'Store' }];
    s.keySetMembers = [
      { keySetId: 30, keyId: 22 },
      { keySetId: 30, keyId: 23 },
    ];
    s.schedules = [{ id: 5, name: 'Evenings' }];
    s.scheduleWindows = [
      { id: 51, scheduleId: 5, day: 1, startMinute: 1080, endMinute: 1440 },
      { id: 52, scheduleId: 5, day: 2, startMinute: 0, endMinute: 360 },
    ];
    s.scheduleExceptions = [{ id: 61, scheduleId: 5, date: '2026-12-25', kind: 'closed' }];
    s.grants = [
      { id: 100, groupId: 7, keySetId: 30, scheduleId: 5 },
      { id: 101, holderId: 3, slot: 4, validUntil: '2027-01-01T00:00:00Z' },
    ];
  });
}

const POLICY_TABLES = [
  'access_groups',
  'group_members',
  'key_sets',
  'key_set_members',
  'schedules',
  'schedule_windows',
  'schedule_exceptions',
  'policy_grants',
];

function everything(db: Database): Record<string, unknown[]> {
  const policy = POLICY_TABLES.map((t): [string, unknown[]] => [
    t,
    db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
  ]);
  return { ...dumpTables(db), ...Object.fromEntries(policy) };
}

describe('the permission sync carries the access policy', () => {
  it('a full set writes every policy section and counts each row as added', () => {
    const { db } = temp.open();
    const result = applyPermissionSync(db, policySet(1), options);
    expect(result).toMatchObject({
      ok: true,
      counts: {
        holders: { added: 3 },
        accessGroups: { added: 1, changed: 0, removed: 0 },
        groupMembers: { added: 2, changed: 0, removed: 0 },
        keySets: { added: 1, changed: 0, removed: 0 },
        keySetMembers: { added: 2, changed: 0, removed: 0 },
        schedules: { added: 1, changed: 0, removed: 0 },
        scheduleWindows: { added: 2, changed: 0, removed: 0 },
        scheduleExceptions: { added: 1, changed: 0, removed: 0 },
        grants: { added: 2, changed: 0, removed: 0 },
      },
    });
    const directory = new SqliteDirectory(db);
    expect(directory.groupsOf(2)).toEqual([7]);
    expect(directory.grantsOf(1)).toMatchObject([
      { id: 100, slots: [2, 3], schedule: { id: 5, windows: { length: 2 } } },
    ]);
    expect(directory.grantsOf(3)).toMatchObject([
      { id: 101, slots: [4], validUntilMs: Date.parse('2027-01-01T00:00:00Z') },
    ]);
    expect(directory.unreleasableSlots()).toEqual([3]);
    expect(directory.holder(1)?.validUntilMs).toBe(Date.parse('2026-12-31T18:00:00Z'));
    expect(directory.credentialByCard('0008844356')?.validFromMs).toBe(
      Date.parse('2026-01-01T00:00:00Z'),
    );
    expect(directory.permissionsOf(1)[0]?.validUntilMs).toBe(Date.parse('2026-12-01T00:00:00Z'));
  });

  it('the same set again changes nothing, and a set without policy fields matches defaults', () => {
    const { db } = temp.open();
    applyPermissionSync(db, policySet(1), options);
    const again = applyPermissionSync(db, policySet(2), options);
    const none = { added: 0, changed: 0, removed: 0 };
    expect(again).toMatchObject({
      ok: true,
      counts: {
        holders: none,
        credentials: none,
        keys: none,
        permissions: none,
        ...UNTOUCHED_POLICY,
      },
    });
    // Back to the plain base set: only what the policy set added differs.
    const plain = applyPermissionSync(db, baseSet(3), options);
    expect(plain).toMatchObject({
      ok: true,
      counts: {
        holders: { changed: 1 },
        credentials: { changed: 1 },
        keys: { changed: 1 },
        permissions: { changed: 1 },
        accessGroups: { removed: 1 },
        groupMembers: { removed: 2 },
        grants: { removed: 2 },
        scheduleWindows: { removed: 2 },
      },
    });
    for (const table of POLICY_TABLES) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    expect(new SqliteDirectory(db).unreleasableSlots()).toEqual([]);
  });

  it('a set with one bad policy row is refused whole, and nothing changes', () => {
    const { db } = temp.open();
    applyPermissionSync(db, policySet(1), options);
    const before = everything(db);
    const bad = edit(policySet(2), 2, (s) => {
      s.holders[1]!.name = 'Robert';
      s.grants.push({ id: 102, holderId: 1, groupId: 7, slot: 1 });
      s.grants.push({ id: 103, groupId: 7, slot: 2, scheduleId: 99 });
      s.scheduleWindows.push({ id: 53, scheduleId: 5, day: 3, startMinute: 1380, endMinute: 60 });
      s.groupMembers.push({ holderId: 9, groupId: 7 });
    });
    const result = applyPermissionSync(db, bad, options);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(result.ok ? [] : result.problems).toEqual(
      expect.arrayContaining([
        'grants[2].holderId: give exactly one of holderId and groupId',
        'grants[3].scheduleId: schedule 99 is not in the set',
        'scheduleWindows[2].endMinute: must be after startMinute (split a window at midnight)',
        'groupMembers[2].holderId: holder 9 is not in the set',
      ]),
    );
    expect(everything(db)).toEqual(before);
  });

  it('a failure inside the transaction rolls the policy back with the rest', () => {
    const { db } = temp.open();
    applyPermissionSync(db, baseSet(1), options);
    const before = everything(db);
    const result = applyPermissionSync(db, policySet(2), {
      ...options,
      inTransaction: () => {
        throw new Error('disk full');
      },
    });
    expect(result).toMatchObject({ ok: false, reason: 'failed' });
    expect(everything(db)).toEqual(before);
  });

  it('a delta upserts and removes policy rows by id or by pair', () => {
    const { db } = temp.open();
    applyPermissionSync(db, policySet(1), options);
    const result = applyPermissionSync(
      db,
      {
        version: 2,
        baseVersion: 1,
        upsert: {
          grants: [{ id: 100, groupId: 7, keySetId: 30 }],
          scheduleExceptions: [
            {
              id: 62,
              scheduleId: 5,
              date: '2026-12-24',
              kind: 'closed',
              startMinute: 780,
              endMinute: 1440,
            },
          ],
        },
        remove: {
          groupMembers: [{ holderId: 2, groupId: 7 }],
          keySetMembers: [{ keySetId: 30, keyId: 23 }],
        },
      },
      options,
    );
    expect(result).toMatchObject({
      ok: true,
      counts: {
        grants: { added: 0, changed: 1, removed: 0 },
        scheduleExceptions: { added: 1 },
        groupMembers: { removed: 1 },
        keySetMembers: { removed: 1 },
      },
    });
    const directory = new SqliteDirectory(db);
    expect(directory.groupsOf(2)).toEqual([]);
    expect(directory.grantsOf(1)).toMatchObject([{ id: 100, slots: [2], schedule: null }]);
  });

  it('a delta may not remove a schedule a grant still names', () => {
    const { db } = temp.open();
    applyPermissionSync(db, policySet(1), options);
    const result = applyPermissionSync(
      db,
      { version: 2, baseVersion: 1, upsert: {}, remove: { schedules: [5] } },
      options,
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
