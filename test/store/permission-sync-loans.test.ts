import { describe, expect, it } from 'vitest';
import { applyPermissionSync } from '../../src/store/permission-sync.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';
import { useTempDb } from '../support/temp-db.js';
import {
  baseSet,
  dumpTables,
  edit,
  openLoan,
  returnLoan,
  setInForce,
  sorted,
  SLOTS,
} from './permission-sync-fixtures.js';

const temp = useTempDb();
const options = { slotCount: SLOTS };

/** Version 1 of the base set; Alice (1) has key 21 out, and once had key 22. */
function withLoans() {
  const { db } = temp.open();
  applyPermissionSync(db, baseSet(1), options);
  openLoan(db, 22, 1, 2);
  returnLoan(db, 22);
  openLoan(db, 21, 1, 1);
  return db;
}

const rows = (db: ReturnType<typeof withLoans>, sql: string) => db.prepare(sql).all();

describe('a sync that removes what loans still name', () => {
  it('retires a holder with an open loan: disabled, no cards, history and loan intact', () => {
    const db = withLoans();
    const loans = rows(db, 'SELECT * FROM loans ORDER BY id');
    const next = edit(baseSet(), 2, (s) => {
      s.holders.shift();
      s.credentials.shift();
      s.permissions = s.permissions.filter((p) => p.holderId !== 1);
    });
    const result = applyPermissionSync(db, next, options);
    expect(result).toMatchObject({ ok: true, counts: { holders: { removed: 1 } } });
    expect(rows(db, 'SELECT id, name, enabled, retired FROM holders WHERE id = 1')).toEqual([
      { id: 1, name: 'Alice', enabled: 0, retired: 1 },
    ]);
    expect(rows(db, 'SELECT * FROM loans ORDER BY id')).toEqual(loans);
    expect(setInForce(db)).toEqual(sorted(next));
    const directory = new SqliteDirectory(db);
    expect(directory.credentialByCard('100086F444')).toBeUndefined();
    expect(directory.holder(1)?.enabled).toBe(false);
    expect(directory.openLoansOf(1).map((l) => l.keyId)).toEqual([21]);
  });

  it('brings a retired holder back when a later set names them again', () => {
    const db = withLoans();
    const without = edit(baseSet(), 2, (s) => {
      s.holders.shift();
      s.credentials.shift();
      s.permissions = s.permissions.filter((p) => p.holderId !== 1);
    });
    applyPermissionSync(db, without, options);
    const result = applyPermissionSync(db, baseSet(3), options);
    expect(result).toMatchObject({ ok: true, counts: { holders: { added: 1, removed: 0 } } });
    expect(setInForce(db)).toEqual(sorted(baseSet()));
  });

  it('retires keys with a history: one back in the cabinet gives up its tag and slot at once', () => {
    const db = withLoans();
    const next = edit(baseSet(), 2, (s) => {
      s.keys = s.keys.filter((k) => k.id === 23);
      s.keys.push({ id: 24, tag: 'A0000002', label: 'K-2 new lock', homeSlot: 2 });
    });
    expect(applyPermissionSync(db, next, options)).toMatchObject({
      ok: true,
      counts: { keys: { added: 1, removed: 2 } },
    });
    expect(
      rows(db, 'SELECT id, tag, home_slot, state, retired_tag FROM keys WHERE id IN (21, 22)'),
    ).toEqual([
      // Out on loan: still recognised when it comes back.
      { id: 21, tag: 'A0000001', home_slot: 1, state: 'retired', retired_tag: null },
      { id: 22, tag: null, home_slot: null, state: 'retired', retired_tag: 'A0000002' },
    ]);
    expect(setInForce(db)).toEqual(sorted(next));
  });

  it('a key removed while out keeps its slot until it is returned, then gives it up', () => {
    const db = withLoans();
    const removed = edit(baseSet(), 2, (s) => void s.keys.shift());
    applyPermissionSync(db, removed, options);
    const claim = edit(removed, 3, (s) => {
      s.keys.push({ id: 25, tag: 'A0000001', label: 'K-1 new lock', homeSlot: 1 });
    });
    const before = dumpTables(db);
    const refused = applyPermissionSync(db, claim, options);
    expect(refused.ok === false && refused.problems).toEqual([
      'keys[2].tag: still the tag of key 21, which is out on loan and not in the set: it must come back first',
      'keys[2].homeSlot: still the home of key 21, which is out on loan and not in the set: it must come back first',
    ]);
    expect(dumpTables(db)).toEqual(before);

    const directory = new SqliteDirectory(db);
    expect(directory.keyByTag('A0000001')?.id).toBe(21); // the return is recognised
    returnLoan(db, 21);
    expect(directory.keyByTag('A0000001')).toBeUndefined();
    expect(applyPermissionSync(db, claim, options)).toMatchObject({ ok: true });
    expect(directory.keyByHomeSlot(1)?.id).toBe(25);
  });

  it('a key brought back while still out may move, and another key take its old slot', () => {
    const db = withLoans();
    applyPermissionSync(
      db,
      edit(baseSet(), 2, (s) => void s.keys.shift()),
      options,
    );
    const next = edit(baseSet(), 3, (s) => {
      s.keys[0]!.homeSlot = 5;
      s.keys.unshift({ id: 25, tag: 'A0000001', label: 'K-1 new lock', homeSlot: 1 });
      s.keys[1]!.tag = 'A0000005';
    });
    expect(applyPermissionSync(db, next, options)).toMatchObject({
      ok: true,
      counts: { keys: { added: 2, changed: 0, removed: 0 } },
    });
    expect(setInForce(db)).toEqual(sorted(next));
  });
});
