import { describe, expect, it } from 'vitest';
import {
  readSyncEnvelope,
  validatePermissionDelta,
  validatePermissionSet,
  type PermissionSet,
} from '../../src/domain/permission-set.js';
import { baseSet, edit, SLOTS } from './permission-sync-fixtures.js';

// The pure validator (src/domain/permission-set.ts): no database here.
const context = { slotCount: SLOTS };
const problemsOf = (set: unknown) => {
  const result = validatePermissionSet(set, context);
  return result.ok ? [] : result.problems;
};

describe('validating a permission set', () => {
  it('accepts a valid set as it stands', () => {
    expect(validatePermissionSet(baseSet(1), context)).toEqual({ ok: true, value: baseSet(1) });
  });

  it('reports every bad field with its path', () => {
    const set = edit(baseSet(), 1, (s) => {
      s.holders[1]!.name = ' ';
      s.credentials[0]!.card = '100086f444';
      s.keys[2]!.homeSlot = 14;
      s.keys[1]!.tag = 'A1';
      s.permissions[0]!.slot = 0;
    });
    (set.holders[2] as unknown as Record<string, unknown>).colour = 'red';
    delete (set.credentials[2] as Partial<PermissionSet['credentials'][number]>).enabled;
    expect(problemsOf(set)).toEqual([
      'holders[1].name: must be 1 to 200 characters, not blank',
      'holders[2].colour: unknown field',
      'credentials[0].card: must be 1 to 20 upper-case decimal or hex digits',
      'credentials[2].enabled: is missing',
      'keys[1].tag: must be 4 to 32 upper-case hex digits',
      'keys[2].homeSlot: slot 14 is outside 1..6',
      'permissions[0].slot: slot 0 is outside 1..6',
    ]);
  });

  it('reports duplicates and dangling references across the set', () => {
    const set = edit(baseSet(), 1, (s) => {
      s.holders.push({ id: 2, name: 'Bob again', enabled: true });
      s.credentials.push({ id: 14, holderId: 99, card: '0008844356', enabled: true });
      s.keys.push({ id: 24, tag: 'A0000001', label: 'K-4', homeSlot: 3 });
      s.permissions.push({ holderId: 1, slot: 2 }, { holderId: 42, slot: 6 });
    });
    expect(problemsOf(set)).toEqual([
      'holders[3].id: holder 2 appears more than once (also holders[1])',
      'credentials[3].card: also the card of credential 12 (credentials[1])',
      'keys[3].tag: also the tag of key 21 (keys[0])',
      'keys[3].homeSlot: also the home slot of key 23 (keys[2])',
      'permissions[5]: the permission of holder 1 for slot 2 appears more than once (also permissions[1])',
      'credentials[3].holderId: holder 99 is not in the set',
      'permissions[6].holderId: holder 42 is not in the set',
    ]);
  });

  it('does not blame the rows that name a holder whose own row is bad', () => {
    const set = edit(baseSet(), 1, (s) => void (s.holders[0]!.name = ''));
    expect(problemsOf(set)).toEqual(['holders[0].name: must be 1 to 200 characters, not blank']);
  });

  it('refuses a key that would take the tag or slot of a key still out on loan', () => {
    const keysOut = [{ id: 30, tag: 'A0000003', homeSlot: 3 }];
    const result = validatePermissionSet(baseSet(1), { ...context, keysOut });
    expect(result.ok === false && result.problems).toEqual([
      'keys[2].tag: still the tag of key 30, which is out on loan and not in the set: it must come back first',
      'keys[2].homeSlot: still the home of key 30, which is out on loan and not in the set: it must come back first',
    ]);
    // The same key, still in the set, is no conflict.
    const again = edit(baseSet(), 1, (s) => void (s.keys[2]!.id = 30));
    expect(validatePermissionSet(again, { ...context, keysOut }).ok).toBe(true);
  });

  it('tells a full set from a delta, and refuses what is neither', () => {
    expect(readSyncEnvelope({ version: 3 })).toEqual({
      ok: true,
      value: { form: 'full', version: 3 },
    });
    expect(readSyncEnvelope({ version: 4, baseVersion: 3 })).toMatchObject({
      value: { form: 'delta', baseVersion: 3 },
    });
    expect(readSyncEnvelope({ version: 0 })).toMatchObject({
      kind: 'malformed',
      problems: ['version: must be a positive integer'],
    });
    expect(readSyncEnvelope({ version: 3, baseVersion: 3 })).toMatchObject({
      problems: ['version: 3 must be greater than baseVersion 3'],
    });
    expect(readSyncEnvelope([])).toMatchObject({ problems: ['payload: must be an object'] });
  });
});

describe('validating a delta', () => {
  const current = baseSet();

  it('returns the set that results, with the delta version', () => {
    const delta = {
      version: 2,
      baseVersion: 1,
      upsert: { holders: [{ id: 3, name: 'Carol', enabled: true }] },
      remove: { permissions: [{ holderId: 2, slot: 3 }] },
    };
    const result = validatePermissionDelta(delta, current, context);
    const expected = edit(current, 2, (s) => {
      s.holders[2]!.enabled = true;
      s.permissions.splice(3, 1);
      // A delta's result has every section: the kept ones as they were (none here).
      s.tierRules = [];
      s.reasonCodes = [];
    });
    expect(result.ok && { ...result.value, holders: sortById(result.value.holders) }).toEqual(
      expected,
    );
  });

  it('checks its own rows and removals with their paths', () => {
    const delta = {
      version: 2,
      baseVersion: 1,
      upsert: { keys: [{ id: 25, tag: 'ZZZZ', label: 'K', homeSlot: 1 }], groups: [] },
      remove: { holders: [1, 1, -4], permissions: [{ holderId: 1 }] },
    };
    expect(validatePermissionDelta(delta, current, context)).toMatchObject({
      kind: 'malformed',
      problems: ['upsert.groups: unknown section or field'],
    });
    delete (delta.upsert as Record<string, unknown>).groups;
    const result = validatePermissionDelta(delta, current, context);
    expect(result.ok === false && result.problems).toEqual([
      'remove.holders[1]: holder 1 is removed more than once (also remove.holders[0])',
      'remove.holders[2]: must be a positive integer',
      'upsert.keys[0].tag: must be 4 to 32 upper-case hex digits',
      'remove.permissions[0].slot: is missing',
      'current.credentials[id=11].holderId: holder 1 is not in the set (removed by remove.holders[0])',
      'current.permissions[holderId=1,slot=1].holderId: holder 1 is not in the set (removed by remove.holders[0])',
      'current.permissions[holderId=1,slot=2].holderId: holder 1 is not in the set (removed by remove.holders[0])',
    ]);
  });
});

function sortById<T extends { id: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.id - b.id);
}
