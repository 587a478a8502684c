import { describe, expect, it } from 'vitest';
import { applyPermissionSync, currentSyncVersion } from '../../src/store/permission-sync.js';
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
const options = { slotCount: SLOTS };

function synced() {
  const { db } = temp.open();
  applyPermissionSync(db, baseSet(3), options);
  return db;
}

describe('a delta permission sync', () => {
  it('is applied on its base version: upserts add or change rows, removals remove them', () => {
    const db = synced();
    const result = applyPermissionSync(
      db,
      {
        version: 4,
        baseVersion: 3,
        upsert: {
          holders: [
            { id: 2, name: 'Robert', enabled: true },
            { id: 4, name: 'Dana', enabled: true },
          ],
          credentials: [{ id: 14, holderId: 4, card: '99', enabled: true }],
          permissions: [{ holderId: 4, slot: 6 }],
        },
        remove: { credentials: [13], permissions: [{ holderId: 3, slot: 1 }], keys: [23] },
      },
      options,
    );
    expect(result).toEqual({
      ok: true,
      form: 'delta',
      version: 4,
      previousVersion: 3,
      counts: {
        holders: { added: 1, changed: 1, removed: 0 },
        credentials: { added: 1, changed: 0, removed: 1 },
        keys: { added: 0, changed: 0, removed: 1 },
        permissions: { added: 1, changed: 0, removed: 1 },
        ...UNTOUCHED_POLICY,
      },
    });
    const expected = edit(baseSet(), 4, (s) => {
      s.holders[1]!.name = 'Robert';
      s.holders.push({ id: 4, name: 'Dana', enabled: true });
      s.credentials.splice(2, 1, { id: 14, holderId: 4, card: '99', enabled: true });
      s.keys.pop();
      s.permissions.splice(4, 1, { holderId: 4, slot: 6 });
    });
    expect(setInForce(db)).toEqual(sorted(expected));
    expect(currentSyncVersion(db)).toBe(4);
  });

  it('an upsert identical to the row in force counts as unchanged', () => {
    const db = synced();
    const result = applyPermissionSync(
      db,
      { version: 4, baseVersion: 3, upsert: { holders: [baseSet().holders[0]] }, remove: {} },
      options,
    );
    expect(result).toMatchObject({ ok: true, counts: { holders: { changed: 0, added: 0 } } });
  });

  it('on any other base is refused, and changes nothing', () => {
    const db = synced();
    const before = dumpTables(db);
    const delta = { version: 5, baseVersion: 2, upsert: {}, remove: { holders: [3] } };
    expect(applyPermissionSync(db, delta, options)).toEqual({
      ok: false,
      reason: 'base_mismatch',
      message: 'the delta applies to version 2, but the version in force is 3: send a full set',
    });
    expect(dumpTables(db)).toEqual(before);
  });

  it('not newer than the version in force is stale, whatever its base', () => {
    const db = synced();
    const delta = { version: 3, baseVersion: 2, upsert: {}, remove: {} };
    expect(applyPermissionSync(db, delta, options)).toMatchObject({ reason: 'stale_version' });
  });

  it('that would leave a broken set is refused, naming the rows left dangling', () => {
    const db = synced();
    const before = dumpTables(db);
    const delta = {
      version: 4,
      baseVersion: 3,
      upsert: { credentials: [{ id: 15, holderId: 1, card: 'ABCDEF', enabled: true }] },
      remove: { holders: [3, 9] },
    };
    const result = applyPermissionSync(db, delta, options);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(result.ok === false && result.problems).toEqual([
      'remove.holders[1]: holder 9 is not in the current set',
      'upsert.credentials[0].card: also the card of credential 13 (current.credentials[id=13])',
      'current.credentials[id=13].holderId: holder 3 is not in the set (removed by remove.holders[0])',
      'current.permissions[holderId=3,slot=1].holderId: holder 3 is not in the set (removed by remove.holders[0])',
    ]);
    expect(dumpTables(db)).toEqual(before);
  });
});
