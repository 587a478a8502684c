import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import {
  COUNT_CAP,
  searchHolders,
  type HolderSearch,
} from '../../src/store/custodian/holder-search.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();
const NOW = '2026-06-01T00:00:00.000Z';
const HOLDERS = 2 * COUNT_CAP + 500;

/**
 * Holders for every filter, some of each on both sides of the count's cap: names in a mixed
 * case so name order is the case-blind one, every third in a company, every seventh expired,
 * every eleventh disabled, a big group (every second) and a small one, and keys out.
 */
function seeded(): Database {
  const { db } = temp.open();
  const at = '2026-01-01T00:00:00.000Z';
  db.transaction(() => {
    const holder = db.prepare(
      'INSERT INTO holders (id, name, company, enabled, valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (let id = 1; id <= HOLDERS; id++) {
      const name = `${id % 2 === 0 ? 'holder' : 'Holder'} ${(id * 7_919) % 10_007}`;
      holder.run(
        id,
        name,
        id % 3 === 0 ? `Firm ${id % 40}` : null,
        id % 11 === 0 ? 0 : 1,
        id % 7 === 0
          ? '2026-01-01T00:00:00.000Z'
          : id % 5 === 0
            ? '2027-01-01T00:00:00.000Z'
            : null,
        at,
      );
    }
    db.prepare(
      "INSERT INTO access_groups (id, name, created_at) VALUES (1, 'Big', ?), (2, 'Small', ?)",
    ).run(at, at);
    db.exec(`INSERT INTO group_members (holder_id, group_id)
             SELECT id, 1 FROM holders WHERE id % 2 = 0
             UNION ALL SELECT id, 2 FROM holders WHERE id % 97 = 0`);
    db.exec(
      `INSERT INTO credentials (holder_id, card, created_at) VALUES (42, '00000000AB', '${at}')`,
    );
    const key = db.prepare('INSERT INTO keys (id, tag, label, created_at) VALUES (?, ?, ?, ?)');
    const loan = db.prepare(
      'INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq, returned_at) VALUES (?, ?, 1, ?, 1, ?)',
    );
    for (let k = 1; k <= 6; k++) {
      key.run(k, `A00000000${k}`, `K${k}`, at);
      loan.run(k, k * 97, at, null);
      loan.run(k, k * 13, at, at);
    }
  })();
  return db;
}

interface Plain {
  id: number;
  name: string;
  company: string | null;
  enabled: number;
  validUntil: string | null;
  groups: string;
  keysOut: number;
}

/** Every holder with what the filters look at, read once for a test's many searches. */
function everyone(db: Database): Plain[] {
  return db
    .prepare(
      `SELECT h.id, h.name, h.company, h.enabled, h.valid_until AS validUntil,
              coalesce((SELECT group_concat(group_id) FROM group_members m WHERE m.holder_id = h.id), '') AS groups,
              (SELECT count(*) FROM loans l WHERE l.holder_id = h.id AND l.returned_at IS NULL) AS keysOut
         FROM holders h`,
    )
    .all() as Plain[];
}

/** The search's answer worked out the slow, obvious way: every holder, filtered here. */
function expected(
  db: Database,
  all: readonly Plain[],
  search: HolderSearch,
): { ids: number[]; total: number } {
  const text = search.text?.toLowerCase();
  const cardHolder = db
    .prepare('SELECT holder_id FROM credentials WHERE card = ?')
    .pluck()
    .get(search.text?.toUpperCase());
  const matching = all.filter(
    (h) =>
      (text === undefined ||
        h.name.toLowerCase().includes(text) ||
        (h.company ?? '').toLowerCase().includes(text) ||
        cardHolder === h.id) &&
      (search.groupId === undefined || h.groups.split(',').includes(String(search.groupId))) &&
      (search.enabled === undefined || h.enabled === (search.enabled ? 1 : 0)) &&
      (search.expired === undefined ||
        (h.validUntil !== null && h.validUntil <= search.now) === search.expired) &&
      (search.keysOut === undefined || h.keysOut > 0 === search.keysOut),
  );
  matching.sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  });
  return {
    ids: matching.slice(search.offset, search.offset + search.limit).map((h) => h.id),
    total: matching.length,
  };
}

describe('holder search: the page and its count', () => {
  it('gives every filter and combination the page the filters define, counting up to the cap', () => {
    const db = seeded();
    const all = everyone(db);
    const texts = [undefined, 'holder 1', 'FIRM 3', '00000000ab'];
    const choices = [undefined, true, false];
    let broad = 0;
    let narrow = 0;
    for (const text of texts)
      for (const groupId of [undefined, 1, 2])
        for (const enabled of choices)
          for (const expired of choices)
            for (const keysOut of choices)
              for (const offset of [0, COUNT_CAP + 150, HOLDERS - 20]) {
                const search: HolderSearch = { offset, limit: 25, now: NOW };
                if (text !== undefined) search.text = text;
                if (groupId !== undefined) search.groupId = groupId;
                if (enabled !== undefined) search.enabled = enabled;
                if (expired !== undefined) search.expired = expired;
                if (keysOut !== undefined) search.keysOut = keysOut;
                const want = expected(db, all, search);
                const got = searchHolders(db, search);
                const what = JSON.stringify(search);
                expect(
                  got.rows.map((r) => r.id),
                  what,
                ).toEqual(want.ids);
                if (got.moreThanTotal) {
                  broad += 1;
                  expect(want.total, what).toBeGreaterThan(got.total);
                  expect(got.total, what).toBeGreaterThanOrEqual(COUNT_CAP);
                } else {
                  narrow += 1;
                  expect(got.total, what).toBe(want.total);
                }
              }
    // Both kinds were exercised, not just one.
    expect(broad).toBeGreaterThan(30);
    expect(narrow).toBeGreaterThan(30);
  });

  it('says more than the cap on a broad search, and whether another page follows', () => {
    const db = seeded();
    const first = searchHolders(db, { offset: 0, limit: 25, now: NOW });
    expect(first).toMatchObject({ total: COUNT_CAP, moreThanTotal: true });
    expect(first.rows).toHaveLength(25);
    // Past the cap, a full page with more after it: more than the rows up to this page's end.
    const deep = searchHolders(db, { offset: COUNT_CAP + 100, limit: 25, now: NOW });
    expect(deep).toMatchObject({ total: COUNT_CAP + 125, moreThanTotal: true });
    // The last page: the walk reached the end, so the count is exact.
    const last = searchHolders(db, { offset: HOLDERS - 10, limit: 25, now: NOW });
    expect(last).toMatchObject({ total: HOLDERS, moreThanTotal: false });
    expect(last.rows).toHaveLength(10);
    // Past the end: nothing to show, and only "more than the cap" is known.
    const beyond = searchHolders(db, { offset: 50_000, limit: 25, now: NOW });
    expect(beyond).toEqual({ rows: [], total: COUNT_CAP, moreThanTotal: true });
  });

  it('counts a narrow search exactly', () => {
    const db = seeded();
    expect(searchHolders(db, { groupId: 2, offset: 0, limit: 5, now: NOW })).toMatchObject({
      total: Math.floor(HOLDERS / 97),
      moreThanTotal: false,
    });
    expect(searchHolders(db, { keysOut: true, offset: 0, limit: 25, now: NOW }).total).toBe(6);
  });
});
