import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/database.js';
import { CARD_FACTS_SQL } from '../../src/store/card-facts.js';
import { SqliteDirectory } from '../../src/store/sqlite-directory.js';

const CREATED = '2026-06-01T00:00:00.000Z';

/**
 * Holders with every kind of fact a badge reads, and their edges: no permission, several, with
 * and without validities and loan limits; groups; open and returned loans, due and overdue;
 * a disabled credential, one with a PIN and wrong PINs, a name that JSON must escape.
 */
function seed(db: Database): void {
  const slot = db.prepare('INSERT OR IGNORE INTO slots (number) VALUES (?)');
  for (let n = 1; n <= 6; n++) slot.run(n);
  const holder = db.prepare(
    `INSERT INTO holders (id, name, enabled, valid_from, valid_until, max_keys_out, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  holder.run(1, 'Alice', 1, null, null, null, CREATED);
  holder.run(2, 'Bob "the \\ locksmith" Ünal', 0, '2026-06-01T08:00:00.000Z', null, 2, CREATED);
  holder.run(3, 'Carol', 1, null, '2026-12-31T23:59:59.999Z', 0, CREATED);
  holder.run(4, 'Dan, no permissions', 1, null, null, null, CREATED);
  const credential = db.prepare(
    `INSERT INTO credentials (id, holder_id, card, enabled, valid_from, valid_until, pin_hash,
       pin_required, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  credential.run(10, 1, '0A00000001', 1, null, null, null, 0, CREATED);
  credential.run(11, 1, '0A00000002', 0, null, '2026-07-01T00:00:00Z', null, 0, CREATED);
  credential.run(20, 2, '0B00000001', 1, '2026-06-02T00:00:00.000Z', null, 'scrypt$x', 1, CREATED);
  credential.run(30, 3, '0C00000001', 1, null, null, 'scrypt$y', 0, CREATED);
  credential.run(40, 4, '0D00000001', 1, null, null, null, 0, CREATED);
  db.prepare('INSERT INTO pin_failures (credential_id, wrong_pins, last_at) VALUES (?, ?, ?)').run(
    20,
    2,
    CREATED,
  );
  const permission = db.prepare(
    `INSERT INTO permissions (holder_id, slot, valid_from, valid_until, max_loan_minutes, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  permission.run(1, 3, null, null, null, CREATED);
  permission.run(1, 1, '2026-06-01T08:00:00.000Z', '2026-07-01T17:00:00.000Z', 90, CREATED);
  permission.run(1, 5, null, null, 15, CREATED);
  permission.run(2, 4, null, '2026-12-31T23:59:00.000Z', null, CREATED);
  permission.run(3, 2, null, null, 30, CREATED);
  const group = db.prepare('INSERT INTO access_groups (id, name, created_at) VALUES (?, ?, ?)');
  for (const id of [7, 8, 9]) group.run(id, `Group ${id}`, CREATED);
  const member = db.prepare('INSERT INTO group_members (holder_id, group_id) VALUES (?, ?)');
  member.run(1, 9);
  member.run(1, 7);
  member.run(3, 8);
  const key = db.prepare(
    'INSERT INTO keys (id, tag, label, home_slot, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  for (let n = 1; n <= 6; n++) key.run(n, `F${n}`, `K-0${n}`, n, CREATED);
  const loan = db.prepare(
    `INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq, due_at, overdue_at, returned_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  loan.run(1, 1, 1, '2026-06-03T09:00:00.000Z', 1, '2026-06-03T10:30:00.000Z', null, null);
  loan.run(5, 1, 5, '2026-06-03T09:05:00.000Z', 2, '2026-06-03T09:20:00.000Z', CREATED, null);
  loan.run(3, 1, 3, '2026-06-02T09:00:00.000Z', 3, null, null, '2026-06-02T10:00:00.000Z');
  loan.run(2, 3, 2, '2026-06-03T11:00:00.000Z', 4, null, null, null);
}

const CARDS = ['0A00000001', '0A00000002', '0B00000001', '0C00000001', '0D00000001'];

describe("a card's facts in one read (issue 9)", () => {
  it('answers what the five single lookups answer, for every card', () => {
    const db = openDatabase(':memory:');
    seed(db);
    const directory = new SqliteDirectory(db);
    for (const card of CARDS) {
      const credential = directory.credentialByCard(card);
      expect(credential, card).toBeDefined();
      if (!credential) continue;
      const { holderId } = credential;
      expect(directory.cardFacts(card), card).toEqual({
        credential,
        holder: directory.holder(holderId),
        permissions: directory.permissionsOf(holderId),
        groupIds: directory.groupsOf(holderId),
        openLoans: directory.openLoansOf(holderId),
      });
    }
  });

  it('reads the edges as they are: escaped names, no permissions, returned loans left out', () => {
    const db = openDatabase(':memory:');
    seed(db);
    const directory = new SqliteDirectory(db);
    const bob = directory.cardFacts('0B00000001');
    expect(bob?.holder).toEqual({
      id: 2,
      name: 'Bob "the \\ locksmith" Ünal',
      enabled: false,
      validFromMs: Date.parse('2026-06-01T08:00:00.000Z'),
      validUntilMs: null,
      maxKeysOut: 2,
    });
    expect(bob?.credential).toMatchObject({ pinRequired: true, hasPin: true, wrongPins: 2 });
    expect(directory.cardFacts('0D00000001')).toMatchObject({
      permissions: [],
      groupIds: [],
      openLoans: [],
    });
    const alice = directory.cardFacts('0A00000001');
    expect(alice?.permissions.map((p) => p.slot).sort()).toEqual([1, 3, 5]);
    expect(alice?.groupIds.sort()).toEqual([7, 9]);
    expect(alice?.openLoans.map((l) => l.keyId).sort()).toEqual([1, 5]);
    expect(alice?.openLoans.find((l) => l.keyId === 5)?.overdueAnnounced).toBe(true);
    expect(directory.cardFacts('0A00000002')?.credential.enabled).toBe(false);
  });

  it('an unknown card has no facts', () => {
    const db = openDatabase(':memory:');
    seed(db);
    expect(new SqliteDirectory(db).cardFacts('FFFFFFFFFF')).toBeUndefined();
  });

  it('sees a change made after an earlier read: nothing is kept between reads', () => {
    const db = openDatabase(':memory:');
    seed(db);
    const directory = new SqliteDirectory(db);
    expect(directory.cardFacts('0D00000001')?.permissions).toEqual([]);
    db.prepare('INSERT INTO permissions (holder_id, slot, created_at) VALUES (4, 6, ?)').run(
      CREATED,
    );
    expect(directory.cardFacts('0D00000001')?.permissions.map((p) => p.slot)).toEqual([6]);
  });

  it('every table is searched through an index, none scanned', () => {
    const db = openDatabase(':memory:');
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${CARD_FACTS_SQL}`)
      .all('0A00000001')
      .map((row) => (row as { detail: string }).detail);
    const reads = plan.filter((detail) => /^(SCAN|SEARCH) /.test(detail));
    expect(reads.length).toBeGreaterThanOrEqual(6);
    expect(reads.filter((detail) => detail.startsWith('SCAN '))).toEqual([]);
    expect(reads).toContain('SEARCH p USING COVERING INDEX permissions_of_holder (holder_id=?)');
  });
});
