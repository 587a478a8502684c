import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  emptyPolicySections,
  SECTION_NAMES,
  SECTIONS,
  type PermissionDelta,
  type PermissionSet,
  type RowKey,
  type SectionName,
  type SectionRows,
  type SyncCounts,
} from '../../src/domain/permission-set.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { applyPermissionSync } from '../../src/store/permission-sync.js';
import { dumpTables, openLoan, setInForce, sorted, SLOTS } from './permission-sync-fixtures.js';

const options = { slotCount: SLOTS };
// Small pools, so that sets overlap: the same ids, cards, tags and slots move between rows.
const CARDS = ['1', '22', 'ABC', '0008844356', '100086F444', 'FFFF', '7'];
const TAGS = ['A001', 'A002', 'B0000003', 'CAFE', 'BEEF', 'D00D'];
const name = fc.constantFrom('Alice', 'Bob', 'Carol', 'K-1', 'Store B', 'x');

const rawSet = fc.record({
  holders: fc.array(
    fc.record({ id: fc.integer({ min: 1, max: 12 }), name, enabled: fc.boolean() }),
    { maxLength: 10 },
  ),
  credentials: fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 15 }),
      owner: fc.nat(),
      card: fc.constantFrom(...CARDS),
      enabled: fc.boolean(),
    }),
    { maxLength: 10 },
  ),
  keys: fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 8 }),
      tag: fc.constantFrom(...TAGS),
      label: name,
      homeSlot: fc.integer({ min: 1, max: SLOTS }),
    }),
    { maxLength: 6 },
  ),
  permissions: fc.array(fc.record({ owner: fc.nat(), slot: fc.integer({ min: 1, max: SLOTS }) }), {
    maxLength: 20,
  }),
});

type RawSet = typeof rawSet extends fc.Arbitrary<infer R> ? R : never;

/** A valid set from random material: the first row with an id, card, tag or slot wins. */
function validSet(raw: RawSet, version: number): PermissionSet {
  const holders = firstOf(raw.holders, (h) => h.id);
  const keys = firstOf(
    raw.keys,
    (k) => k.id,
    (k) => k.tag,
    (k) => k.homeSlot,
  );
  if (holders.length === 0)
    return { version, holders, credentials: [], keys, permissions: [], ...emptyPolicySections() };
  const owner = (n: number) => holders[n % holders.length]!.id;
  const credentials = raw.credentials.map(({ owner: o, ...c }) => ({ ...c, holderId: owner(o) }));
  const permissions = raw.permissions.map((p) => ({ holderId: owner(p.owner), slot: p.slot }));
  return {
    version,
    holders,
    credentials: firstOf(
      credentials,
      (c) => c.id,
      (c) => c.card,
    ),
    keys,
    permissions: firstOf(permissions, (p) => `${p.holderId}:${p.slot}`),
    ...emptyPolicySections(),
  };
}

/** Keeps a row only if no earlier row kept has the same value for any of `keys`. */
function firstOf<T>(rows: T[], ...keys: Array<(row: T) => unknown>): T[] {
  const seen = keys.map(() => new Set<unknown>());
  return rows.filter((row) => {
    if (keys.some((key, i) => seen[i]!.has(key(row)))) return false;
    keys.forEach((key, i) => seen[i]!.add(key(row)));
    return true;
  });
}

const twoSets = fc.tuple(rawSet, rawSet).map(([a, b]) => [validSet(a, 1), validSet(b, 2)] as const);

/** The counts a sync from `a` to `b` must report, and the rows it leaves alone. */
function expectedCounts(a: PermissionSet, b: PermissionSet) {
  const counts = {} as SyncCounts;
  const unchanged = {} as Record<SectionName, number>;
  for (const name of SECTION_NAMES) {
    const before = keyed(name, a[name] ?? []);
    const after = [...keyed(name, b[name] ?? [])];
    const kept = after.filter(([key]) => before.has(key));
    unchanged[name] = kept.filter(([key, text]) => before.get(key) === text).length;
    counts[name] = {
      added: after.length - kept.length,
      changed: kept.length - unchanged[name],
      removed: before.size - kept.length,
    };
  }
  return { counts, unchanged };
}

let db: Database | undefined;
afterEach(() => db?.close());
function fresh(): Database {
  db?.close();
  db = openDatabase(':memory:');
  return db;
}

describe('permission sync, for random valid sets', () => {
  it('applying A then B leaves exactly B, with counts that add up', () => {
    fc.assert(
      fc.property(twoSets, ([a, b]) => {
        const db = fresh();
        expect(applyPermissionSync(db, a, options)).toMatchObject({ ok: true });
        const result = applyPermissionSync(db, b, options);
        const { counts, unchanged } = expectedCounts(a, b);
        expect(result).toEqual({ ok: true, form: 'full', version: 2, previousVersion: 1, counts });
        for (const name of SECTION_NAMES) {
          const c = counts[name];
          expect(c.added + c.changed + unchanged[name]).toBe((b[name] ?? []).length);
        }
        expect(setInForce(db)).toEqual(sorted(b));
      }),
      { numRuns: 100 },
    );
  });

  it('the delta from A to B, applied on A, leaves exactly B too', () => {
    fc.assert(
      fc.property(twoSets, ([a, b]) => {
        const db = fresh();
        applyPermissionSync(db, a, options);
        const result = applyPermissionSync(db, deltaBetween(a, b), options);
        expect(result).toMatchObject({
          ok: true,
          form: 'delta',
          counts: expectedCounts(a, b).counts,
        });
        expect(setInForce(db)).toEqual(sorted(b));
      }),
      { numRuns: 100 },
    );
  });

  it('with keys out on loan, each later set is applied exactly or refused changing nothing', () => {
    // Three sets: what B retires while out on loan, C may bring back, move or give away.
    const threeSets = fc
      .tuple(rawSet, rawSet, rawSet)
      .map(([a, b, c]) => [validSet(a, 1), validSet(b, 2), validSet(c, 3)] as const);
    fc.assert(
      fc.property(threeSets, fc.nat(), ([a, ...later], pick) => {
        const db = fresh();
        applyPermissionSync(db, a, options);
        const holder = a.holders[pick % Math.max(1, a.holders.length)];
        for (const key of holder ? a.keys.slice(0, 2) : [])
          openLoan(db, key.id, holder!.id, key.homeSlot);
        for (const set of later) {
          const before = dumpTables(db);
          const result = applyPermissionSync(db, set, options);
          if (result.ok) {
            expect(setInForce(db)).toEqual(sorted(set));
            expect(dumpTables(db).loans).toEqual(before.loans);
          } else {
            expect(result.problems?.every((p) => p.includes('out on loan'))).toBe(true);
            expect(dumpTables(db)).toEqual(before);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

function deltaBetween(a: PermissionSet, b: PermissionSet): PermissionDelta {
  const delta: PermissionDelta = {
    version: b.version,
    baseVersion: a.version,
    upsert: {},
    remove: {},
  };
  for (const name of SECTION_NAMES) {
    const before = keyed(name, a[name] ?? []);
    const after = keyed(name, b[name] ?? []);
    const upsert = (b[name] ?? []).filter(
      (row) => before.get(keyOf(name, row)) !== JSON.stringify(row),
    );
    const gone = (a[name] ?? []).filter((row) => !after.has(keyOf(name, row)));
    (delta.upsert as Record<string, unknown[]>)[name] = upsert;
    // A removal names a row by id, a permission by the row itself.
    (delta.remove as Record<string, unknown[]>)[name] = gone.map((row) =>
      'id' in row ? row.id : 'tier' in row ? row.tier : 'code' in row ? row.code : row,
    );
  }
  return delta;
}

function keyOf<S extends SectionName>(name: S, row: SectionRows[S]): RowKey {
  return SECTIONS[name].key(row);
}

/** Each row's key, with the row as text to tell changed from unchanged. */
function keyed<S extends SectionName>(name: S, rows: Array<SectionRows[S]>): Map<RowKey, string> {
  return new Map(rows.map((row) => [keyOf(name, row), JSON.stringify(row)]));
}
