import { describe, expect, it } from 'vitest';
import { applyPermissionSync, currentSyncVersion } from '../../src/store/permission-sync.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { useTempDb } from '../support/temp-db.js';
import {
  baseSet,
  dumpTables,
  edit,
  setInForce,
  sorted,
  SLOTS,
  UNTOUCHED_POLICY,
} from './permission-sync-fixtures.js';

const temp = useTempDb();
const options = { slotCount: SLOTS, now: () => new Date('2026-11-24T09:00:00Z') };
const none = { added: 0, changed: 0, removed: 0 };

describe('a full permission sync', () => {
  it('into an empty database writes every row and counts them all as added', () => {
    const { db } = temp.open();
    const result = applyPermissionSync(db, baseSet(5), options);
    expect(result).toEqual({
      ok: true,
      form: 'full',
      version: 5,
      previousVersion: 0,
      counts: {
        holders: { added: 3, changed: 0, removed: 0 },
        credentials: { added: 3, changed: 0, removed: 0 },
        keys: { added: 3, changed: 0, removed: 0 },
        permissions: { added: 5, changed: 0, removed: 0 },
        ...UNTOUCHED_POLICY,
      },
    });
    expect(setInForce(db)).toEqual(sorted(baseSet()));
    expect(currentSyncVersion(db)).toBe(5);
    expect(db.prepare('SELECT applied_at FROM sync_state').pluck().get()).toBe(
      '2026-11-24T09:00:00.000Z',
    );
  });

  it('a second set is applied as exactly its differences, counted per section', () => {
    const { db } = temp.open();
    applyPermissionSync(db, baseSet(1), options);
    const next = edit(baseSet(), 2, (s) => {
      s.holders[0]!.name = 'Alice Smith'; // changed
      s.holders.splice(2, 1); // Carol removed, with her card and permission
      s.holders.push({ id: 4, name: 'Dana', enabled: true }); // added
      s.credentials.splice(2, 1, { id: 14, holderId: 4, card: 'ABCDEF', enabled: true });
      s.credentials[1]!.enabled = false; // changed
      s.keys[2]!.homeSlot = 4; // changed
      s.permissions = s.permissions.filter((p) => p.holderId !== 3 && p.slot !== 3);
      s.permissions.push({ holderId: 4, slot: 4 });
    });
    const result = applyPermissionSync(db, next, options);
    expect(result).toMatchObject({
      ok: true,
      version: 2,
      previousVersion: 1,
      counts: {
        holders: { added: 1, changed: 1, removed: 1 },
        credentials: { added: 1, changed: 1, removed: 1 },
        keys: { added: 0, changed: 1, removed: 0 },
        permissions: { added: 1, changed: 0, removed: 2 },
      },
    });
    expect(setInForce(db)).toEqual(sorted(next));
    // Carol had no loans: nothing needs her row, so it is gone rather than retired.
    expect(db.prepare('SELECT count(*) FROM holders WHERE id = 3').pluck().get()).toBe(0);
  });

  it('the same set again under a new version changes nothing but the version', () => {
    const { db } = temp.open();
    applyPermissionSync(db, baseSet(1), options);
    const result = applyPermissionSync(db, baseSet(2), options);
    expect(result).toMatchObject({
      ok: true,
      counts: { holders: none, credentials: none, keys: none, permissions: none },
    });
  });

  it('two credentials may swap cards and two keys their slots and tags in one sync', () => {
    const { db } = temp.open();
    applyPermissionSync(db, baseSet(1), options);
    const next = edit(baseSet(), 2, (s) => {
      [s.credentials[0]!.card, s.credentials[1]!.card] = [
        s.credentials[1]!.card,
        s.credentials[0]!.card,
      ];
      [s.keys[0]!.homeSlot, s.keys[1]!.homeSlot] = [s.keys[1]!.homeSlot, s.keys[0]!.homeSlot];
      [s.keys[1]!.tag, s.keys[2]!.tag] = [s.keys[2]!.tag, s.keys[1]!.tag];
    });
    expect(applyPermissionSync(db, next, options)).toMatchObject({
      ok: true,
      counts: { credentials: { changed: 2 }, keys: { changed: 3 } },
    });
    expect(setInForce(db)).toEqual(sorted(next));
  });

  it('a version not newer than the one in force is refused and changes nothing', () => {
    const { db } = temp.open();
    applyPermissionSync(db, baseSet(7), options);
    const before = dumpTables(db);
    const older = edit(baseSet(), 6, (s) => s.holders.pop());
    expect(applyPermissionSync(db, older, options)).toEqual({
      ok: false,
      reason: 'stale_version',
      message: 'version 6 is not newer than the version in force, 7',
    });
    expect(
      applyPermissionSync(
        db,
        edit(older, 7, () => {}),
        options,
      ),
    ).toMatchObject({
      reason: 'stale_version',
    });
    expect(dumpTables(db)).toEqual(before);
  });

  it("the daemon's directory sees the new set once it is committed", () => {
    const { db } = temp.open();
    const directory = new SqliteDirectory(db);
    applyPermissionSync(db, baseSet(1), options);
    expect(directory.credentialByCard('ABCDEF')).toEqual({
      id: 13,
      holderId: 3,
      card: 'ABCDEF',
      enabled: true,
      validFromMs: null,
      validUntilMs: null,
      pinRequired: false,
      hasPin: false,
      wrongPins: 0,
    });
    const next = edit(baseSet(), 2, (s) => {
      s.credentials[2]!.holderId = 1;
      s.permissions.push({ holderId: 2, slot: 5 });
      s.keys[0]!.homeSlot = 6;
    });
    applyPermissionSync(db, next, options);
    expect(directory.credentialByCard('ABCDEF')?.holderId).toBe(1);
    expect(directory.permissionsOf(2).map((p) => p.slot)).toEqual([2, 3, 5]);
    expect(directory.keyByHomeSlot(1)).toBeUndefined();
    expect(directory.keyByTag('A0000001')).toEqual({
      id: 21,
      tag: 'A0000001',
      label: 'K-1',
      homeSlot: 6,
      state: 'active',
      tier: null,
      maxLoanMinutes: null,
      curfewMinute: null,
      returnPolicy: 'home',
    });
  });
});
