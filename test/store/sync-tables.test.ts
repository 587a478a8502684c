import { describe, expect, it } from 'vitest';
import {
  SECTION_NAMES,
  type PermissionSections,
  type PermissionSet,
} from '../../src/domain/permission-set.js';
import { applyPermissionSync } from '../../src/store/permission-sync.js';
import { SYNC_TABLES } from '../../src/store/sync-tables.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

const pinHash = (fill: number) =>
  `scrypt$32768$8$1$${Buffer.alloc(16, fill).toString('base64')}$${Buffer.alloc(32, fill).toString('base64')}`;

/** Every field of every section set, none to its default: each must reach a column and back. */
const everyField: PermissionSet = {
  version: 1,
  holders: [
    {
      id: 1,
      name: 'Alice',
      enabled: false,
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
      maxKeysOut: 3,
    },
  ],
  credentials: [
    {
      id: 11,
      holderId: 1,
      card: 'ABC123',
      enabled: true,
      validFrom: '2026-02-01T00:00:00Z',
      validUntil: '2026-03-01T00:00:00Z',
      pinRequired: true,
      pinHash: pinHash(1),
      duressPinHash: pinHash(2),
    },
  ],
  keys: [
    {
      id: 21,
      tag: 'A0000001',
      label: 'Van',
      homeSlot: 2,
      state: 'lost',
      tier: 'master',
      maxLoanMinutes: 90,
      curfewMinute: 1200,
      returnPolicy: 'any',
    },
  ],
  permissions: [
    {
      holderId: 1,
      slot: 2,
      validFrom: '2026-04-01T00:00:00Z',
      validUntil: '2026-05-01T00:00:00Z',
      maxLoanMinutes: 30,
    },
  ],
  accessGroups: [{ id: 31, name: 'Drivers', maxLoanMinutes: 120 }],
  groupMembers: [{ holderId: 1, groupId: 31 }],
  keySets: [{ id: 41, name: 'Vans' }],
  keySetMembers: [{ keySetId: 41, keyId: 21 }],
  schedules: [{ id: 51, name: 'Office hours' }],
  scheduleWindows: [{ id: 61, scheduleId: 51, day: 1, startMinute: 480, endMinute: 1020 }],
  scheduleExceptions: [
    { id: 71, scheduleId: 51, date: '2026-12-24', kind: 'open', startMinute: 540, endMinute: 720 },
  ],
  grants: [
    {
      id: 81,
      holderId: null,
      groupId: 31,
      slot: null,
      keySetId: 41,
      scheduleId: 51,
      validFrom: '2026-06-01T00:00:00Z',
      validUntil: '2026-07-01T00:00:00Z',
      maxLoanMinutes: 45,
    },
  ],
  tierRules: [
    {
      tier: 'master',
      authorisers: 1,
      authoriserGroupId: 31,
      pin: true,
      maxLoanMinutes: 60,
      reasonCode: true,
    },
  ],
  reasonCodes: [{ code: '42', description: 'Emergency call-out' }],
};

describe('the store tables derived from the sections the domain declares', () => {
  it('has a table for every section, and every statement prepares against the migrated schema', () => {
    const { db } = temp.open();
    expect(Object.keys(SYNC_TABLES)).toEqual(SECTION_NAMES);
    for (const name of SECTION_NAMES) {
      const table = SYNC_TABLES[name];
      const sql = [table.readCurrent, table.insert.sql, ...table.remove];
      if (table.update) sql.push(table.update.sql);
      if (table.park) sql.push(table.park.sql);
      for (const statement of sql) expect(() => db.prepare(statement), name).not.toThrow();
    }
  });

  it('writes every field of every section to a column and reads it back as sent', () => {
    const { db } = temp.open();
    const result = applyPermissionSync(db, everyField, { slotCount: 4 });
    expect(result.ok ? [] : result.problems).toEqual([]);
    for (const name of SECTION_NAMES) {
      const stored: unknown = JSON.parse(
        db.prepare(SYNC_TABLES[name].readCurrent).pluck().get() as string,
      ) as PermissionSections[typeof name];
      expect(stored, name).toEqual(everyField[name]);
    }
  });

  it('updates every field of a changed row, and the diff then finds nothing left to change', () => {
    const { db } = temp.open();
    expect(applyPermissionSync(db, everyField, { slotCount: 4 }).ok).toBe(true);
    const changed = structuredClone(everyField);
    changed.version = 2;
    changed.holders[0] = { ...changed.holders[0]!, name: 'Alicia', enabled: true, maxKeysOut: 1 };
    changed.keys[0] = { ...changed.keys[0]!, state: 'stolen', tier: null, returnPolicy: 'home' };
    changed.tierRules![0] = { ...changed.tierRules![0]!, pin: false, reasonCode: false };
    const second = applyPermissionSync(db, changed, { slotCount: 4 });
    expect(second).toMatchObject({
      ok: true,
      counts: { holders: { changed: 1 }, keys: { changed: 1 }, tierRules: { changed: 1 } },
    });
    for (const name of ['holders', 'keys', 'tierRules'] as const) {
      const stored: unknown = JSON.parse(
        db.prepare(SYNC_TABLES[name].readCurrent).pluck().get() as string,
      );
      expect(stored, name).toEqual(changed[name]);
    }
    changed.version = 3;
    const again = applyPermissionSync(db, changed, { slotCount: 4 });
    expect(again.ok && Object.values(again.counts).every((c) => c.changed === 0)).toBe(true);
  });
});
