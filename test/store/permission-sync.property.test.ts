import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  emptyPolicySections,
  SECTION_NAMES,
  SECTIONS,
  type PermissionDelta,
  type PermissionSections,
  type PermissionSet,
  type RowKey,
  type SectionName,
  type SectionRows,
  type SetTierRule,
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
const TIERS = ['grand_master', 'master', 'sub_master', 'change'] as const;
// Two hashes of the right shape (not of any PIN): the sync checks the shape only.
const PIN_HASHES = [1, 2].map(
  (n) =>
    `scrypt$32768$8$1$${Buffer.alloc(16, n).toString('base64')}$${Buffer.alloc(32, n).toString('base64')}`,
);
/** Migration 006's fields on a key, each absent, null or a value (absent reads as its default). */
const KEY_EXTRAS = {
  tier: fc.option(fc.constantFrom(...TIERS)),
  maxLoanMinutes: fc.option(fc.integer({ min: 1, max: 3 })),
  curfewMinute: fc.option(fc.constantFrom(0, 1080, 1439)),
  returnPolicy: fc.constantFrom('home' as const, 'any' as const),
};
/** What migration 006 seeds, as the sync reads it back: in force until a set sends its own. */
const SEEDED_TIER_RULES: SetTierRule[] = [
  {
    tier: 'change',
    authorisers: 0,
    authoriserGroupId: null,
    pin: false,
    maxLoanMinutes: null,
    reasonCode: false,
  },
  {
    tier: 'grand_master',
    authorisers: 2,
    authoriserGroupId: null,
    pin: true,
    maxLoanMinutes: 60,
    reasonCode: true,
  },
  {
    tier: 'master',
    authorisers: 1,
    authoriserGroupId: null,
    pin: true,
    maxLoanMinutes: 240,
    reasonCode: true,
  },
  {
    tier: 'sub_master',
    authorisers: 0,
    authoriserGroupId: null,
    pin: true,
    maxLoanMinutes: 480,
    reasonCode: false,
  },
];

const rawSet = fc.record({
  holders: fc.array(
    fc.record(
      {
        id: fc.integer({ min: 1, max: 12 }),
        name,
        enabled: fc.boolean(),
        maxKeysOut: fc.option(fc.integer({ min: 0, max: 3 })),
      },
      { requiredKeys: ['id', 'name', 'enabled'] },
    ),
    { maxLength: 10 },
  ),
  credentials: fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 15 }),
      owner: fc.nat(),
      card: fc.constantFrom(...CARDS),
      enabled: fc.boolean(),
      pinRequired: fc.boolean(),
      pinHash: fc.option(fc.constantFrom(...PIN_HASHES)),
    }),
    { maxLength: 10 },
  ),
  keys: fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 8 }),
      tag: fc.constantFrom(...TAGS),
      label: name,
      homeSlot: fc.integer({ min: 1, max: SLOTS }),
      ...KEY_EXTRAS,
    }),
    { maxLength: 6 },
  ),
  // Absent (kept as in force) or sent: one rule per tier at most.
  tierRules: fc.option(
    fc.uniqueArray(
      fc.record({
        tier: fc.constantFrom(...TIERS),
        authorisers: fc.constantFrom(0 as const, 1 as const, 2 as const),
        pin: fc.boolean(),
        maxLoanMinutes: fc.option(fc.integer({ min: 1, max: 3 })),
        reasonCode: fc.boolean(),
      }),
      { selector: (rule) => rule.tier, maxLength: 4 },
    ),
    { nil: undefined },
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
  const kept = raw.tierRules === undefined ? {} : { tierRules: raw.tierRules };
  if (holders.length === 0) {
    const empty = { credentials: [], permissions: [], ...emptyPolicySections() };
    return { version, holders, keys, ...empty, ...kept };
  }
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
    ...kept,
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

/**
 * The rows of a section in force after `set`, applied on a fresh database: a kept section the
 * set leaves out is as migration 006 seeded it.
 */
function inForce<S extends SectionName>(name: S, set: PermissionSet): Array<SectionRows[S]> {
  const rows = (set as Partial<PermissionSections>)[name];
  if (rows) return rows;
  return (name === 'tierRules' ? SEEDED_TIER_RULES : []) as Array<SectionRows[S]>;
}

/** The counts a sync from `a` to `b` must report, and the rows it leaves alone. */
function expectedCounts(a: PermissionSet, b: PermissionSet) {
  const counts = {} as SyncCounts;
  const unchanged = {} as Record<SectionName, number>;
  for (const name of SECTION_NAMES) {
    const before = keyed(name, inForce(name, a));
    // A section b leaves out is kept: every row stays as it is.
    const after = [...keyed(name, (b as Partial<PermissionSections>)[name] ?? inForce(name, a))];
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
          expect(c.added + c.changed + unchanged[name]).toBe(
            ((b as Partial<PermissionSections>)[name] ?? inForce(name, a)).length,
          );
        }
        expect(setInForce(db)).toEqual(sorted(core(b)));
        expect(extrasInForce(db)).toEqual(extrasOf(b, a));
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
        expect(setInForce(db)).toEqual(sorted(core(b)));
        expect(extrasInForce(db)).toEqual(extrasOf(b, a));
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
            expect(setInForce(db)).toEqual(sorted(core(set)));
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
    const next = (b as Partial<PermissionSections>)[name];
    if (next === undefined) continue;
    const before = keyed(name, inForce(name, a));
    const after = keyed(name, next);
    const upsert = next.filter((row) => before.get(keyOf(name, row)) !== normalised(name, row));
    const gone = inForce(name, a).filter((row) => !after.has(keyOf(name, row)));
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
  return new Map(rows.map((row) => [keyOf(name, row), normalised(name, row)]));
}

/** The row as text, every field in order, an absent one as its documented default or null. */
function normalised<S extends SectionName>(name: S, row: SectionRows[S]): string {
  const defaults: Record<string, unknown> = {
    state: 'active',
    returnPolicy: 'home',
    pinRequired: false,
  };
  const record = row as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(SECTIONS[name].fields).map((field) => record[field] ?? defaults[field] ?? null),
  );
}

/** Migration 006's columns of holders, credentials and keys, and the tier rules, as stored. */
function extrasInForce(db: Database) {
  return {
    holders: db
      .prepare('SELECT id, max_keys_out AS maxKeysOut FROM holders WHERE retired = 0 ORDER BY id')
      .all(),
    credentials: db
      .prepare(
        'SELECT id, pin_required AS pinRequired, pin_hash AS pinHash FROM credentials ORDER BY id',
      )
      .all(),
    keys: db
      .prepare(
        `SELECT id, tier, max_loan_minutes AS maxLoanMinutes, curfew_minute AS curfewMinute,
                return_policy AS returnPolicy FROM keys WHERE state <> 'retired' ORDER BY id`,
      )
      .all(),
    tierRules: db
      .prepare(
        `SELECT tier, authorisers, pin, max_loan_minutes AS maxLoanMinutes, reason_code AS reasonCode
           FROM tier_rules ORDER BY tier`,
      )
      .all(),
  };
}

/** The set without migration 006's fields, which setInForce does not read (extrasOf does). */
function core(set: PermissionSet): PermissionSet {
  return {
    ...set,
    holders: set.holders.map(({ maxKeysOut: _, ...h }) => h),
    credentials: set.credentials.map(({ pinRequired: _, pinHash: __, ...c }) => c),
    keys: set.keys.map(
      ({ tier: _, maxLoanMinutes: __, curfewMinute: ___, returnPolicy: ____, ...k }) => k,
    ),
  };
}

/** What extrasInForce must read after `set` was applied on top of `previous`. */
function extrasOf(set: PermissionSet, previous: PermissionSet) {
  const byId = <T extends { id: number }>(rows: T[]) => [...rows].sort((x, y) => x.id - y.id);
  const rules = (set.tierRules ?? inForce('tierRules', previous)).map((rule) => ({
    tier: rule.tier,
    authorisers: rule.authorisers,
    pin: rule.pin ? 1 : 0,
    maxLoanMinutes: rule.maxLoanMinutes ?? null,
    reasonCode: rule.reasonCode ? 1 : 0,
  }));
  return {
    holders: byId(set.holders).map((h) => ({ id: h.id, maxKeysOut: h.maxKeysOut ?? null })),
    credentials: byId(set.credentials).map((c) => ({
      id: c.id,
      pinRequired: c.pinRequired ? 1 : 0,
      pinHash: c.pinHash ?? null,
    })),
    keys: byId(set.keys).map((k) => ({
      id: k.id,
      tier: k.tier ?? null,
      maxLoanMinutes: k.maxLoanMinutes ?? null,
      curfewMinute: k.curfewMinute ?? null,
      returnPolicy: k.returnPolicy ?? 'home',
    })),
    tierRules: rules.sort((x, y) => (x.tier < y.tier ? -1 : 1)),
  };
}
