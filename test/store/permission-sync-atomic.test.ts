import { describe, expect, it } from 'vitest';
import { applyPermissionSync, type SyncSuccess } from '../../src/store/permission-sync.js';
import { useTempDb } from '../support/temp-db.js';
import { baseSet, dumpTables, edit, SLOTS } from './permission-sync-fixtures.js';

const temp = useTempDb();
const options = { slotCount: SLOTS };

/** A database holding version 1 of the base set, and a dump of it to compare with. */
function synced() {
  const { db } = temp.open();
  applyPermissionSync(db, baseSet(1), options);
  return { db, before: dumpTables(db) };
}

describe('a permission sync is applied whole or not at all', () => {
  it('a bad row in the middle of a large change refuses it all, with the path of the problem', () => {
    const { db, before } = synced();
    const next = edit(baseSet(), 2, (s) => {
      for (let id = 100; id < 200; id++) s.holders.push({ id, name: `H${id}`, enabled: true });
      s.credentials.push({ id: 50, holderId: 99, card: 'FF01', enabled: true });
      s.credentials.push({ id: 51, holderId: 150, card: '100086F444', enabled: true });
      s.keys.push({ id: 24, tag: 'not-hex', label: 'K-4', homeSlot: 4 });
      for (let id = 100; id < 200; id++) s.permissions.push({ holderId: id, slot: 1 });
    });
    const result = applyPermissionSync(db, next, options);
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    expect(result.ok === false && result.problems).toEqual([
      'keys[3].tag: must be 4 to 32 upper-case hex digits',
      'credentials[4].card: also the card of credential 11 (credentials[0])',
      'credentials[3].holderId: holder 99 is not in the set',
    ]);
    expect(result.ok === false && result.message).toBe(
      'the set is invalid: 3 problems, the first: keys[3].tag: must be 4 to 32 upper-case hex digits',
    );
    expect(dumpTables(db)).toEqual(before);
  });

  it('a payload that is not a set is malformed', () => {
    const { db, before } = synced();
    expect(applyPermissionSync(db, 'hello', options)).toMatchObject({
      reason: 'malformed',
      problems: ['payload: must be an object'],
    });
    const { holders: _, ...withoutHolders } = baseSet(2);
    expect(applyPermissionSync(db, { ...withoutHolders, groups: [] }, options)).toMatchObject({
      reason: 'malformed',
      problems: ['groups: unknown section or field', 'holders: must be an array'],
    });
    expect(dumpTables(db)).toEqual(before);
  });

  it('a failure inside the transaction rolls back every write and says why', () => {
    const { db, before } = synced();
    let seen: SyncSuccess | undefined;
    const result = applyPermissionSync(
      db,
      edit(baseSet(), 2, (s) => s.holders.push({ id: 4, name: 'Dana', enabled: true })),
      {
        ...options,
        inTransaction(success) {
          seen = success;
          // The caller's own write (its event) is part of the same transaction.
          db.prepare('UPDATE slots SET enabled = 0 WHERE number = 1').run();
          throw new Error('event log full');
        },
      },
    );
    expect(seen).toMatchObject({ ok: true, version: 2, counts: { holders: { added: 1 } } });
    expect(result).toEqual({
      ok: false,
      reason: 'failed',
      message: 'the sync was rolled back: event log full',
    });
    expect(dumpTables(db)).toEqual(before);
  });

  it('a broken reference found only at the commit still rolls everything back', () => {
    const { db, before } = synced();
    const result = applyPermissionSync(db, baseSet(2), {
      ...options,
      inTransaction: () =>
        void db
          .prepare("INSERT INTO permissions (holder_id, slot, created_at) VALUES (99, 1, 'x')")
          .run(),
    });
    expect(result).toEqual({
      ok: false,
      reason: 'failed',
      message: 'the sync was rolled back: FOREIGN KEY constraint failed',
    });
    expect(dumpTables(db)).toEqual(before);
    expect(db.inTransaction).toBe(false);
  });

  it("the caller's writes in the callback commit with the set", () => {
    const { db } = synced();
    const result = applyPermissionSync(db, baseSet(2), {
      ...options,
      inTransaction: () => void db.prepare('UPDATE slots SET enabled = 0 WHERE number = 1').run(),
    });
    expect(result.ok).toBe(true);
    expect(db.prepare('SELECT enabled FROM slots WHERE number = 1').pluck().get()).toBe(0);
  });

  it('a long list of problems is cut short in the reply', () => {
    const { db } = synced();
    const next = edit(baseSet(), 2, (s) => {
      for (let id = 100; id < 400; id++) s.holders.push({ id, name: '', enabled: true });
    });
    const result = applyPermissionSync(db, next, options);
    expect(result.ok === false && result.problems?.length).toBe(101);
    expect(result.ok === false && result.problems?.at(-1)).toBe('… and 200 more');
    expect(result.ok === false && result.message).toMatch(/^the set is invalid: 300 problems/);
  });
});
