import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../src/paths.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/database.js';
import { migrate, readMigrations } from '../../src/store/migrations.js';
import { PERMISSIONS_OF_HOLDER_SQL, SqliteDirectory } from '../../src/store/sqlite-directory.js';

const CREATED = '2026-06-01T00:00:00.000Z';

/** A database brought to `version` only, with foreign keys on as openDatabase sets them. */
function migratedTo(version: number): Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  const all = readMigrations(migrationsDir());
  migrate(
    db,
    all.filter((m) => m.version <= version),
    'mem',
  );
  return db;
}

/** Holders 1–3 on slots 1–4, with validities and loan limits on some of their permissions. */
function seed(db: Database): void {
  const insertSlot = db.prepare('INSERT OR IGNORE INTO slots (number) VALUES (?)');
  for (let slot = 1; slot <= 4; slot++) insertSlot.run(slot);
  const holder = db.prepare('INSERT INTO holders (id, name, created_at) VALUES (?, ?, ?)');
  for (const id of [1, 2, 3]) holder.run(id, `Holder ${id}`, CREATED);
  const permission = db.prepare(
    `INSERT INTO permissions (holder_id, slot, valid_from, valid_until, max_loan_minutes, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  permission.run(1, 3, null, null, null, CREATED);
  permission.run(1, 1, '2026-06-01T08:00:00.000Z', '2026-07-01T17:00:00.000Z', 90, CREATED);
  permission.run(2, 4, null, '2026-12-31T23:59:00.000Z', null, CREATED);
  permission.run(3, 2, null, null, 30, CREATED);
  permission.run(1, 4, '2026-06-02T00:00:00.000Z', null, null, CREATED);
}

/** The same rows, read from the table itself. */
function fromTable(db: Database, holderId: number) {
  return db
    .prepare(
      `SELECT holder_id AS holderId, slot, valid_from AS validFrom, valid_until AS validUntil,
         max_loan_minutes AS maxLoanMinutes FROM permissions NOT INDEXED WHERE holder_id = ?
       ORDER BY slot`,
    )
    .all(holderId);
}

describe("a badge reads its holder's permissions from one index (migration 017)", () => {
  it('the lookup is answered by the covering index alone, never by the table', () => {
    const db = openDatabase(':memory:');
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${PERMISSIONS_OF_HOLDER_SQL}`)
      .all(1)
      .map((row) => (row as { detail: string }).detail);
    expect(plan).toEqual([
      'SEARCH permissions USING COVERING INDEX permissions_of_holder (holder_id=?)',
    ]);
  });

  it('reads exactly what the table holds: every slot, validity and loan limit of the holder', () => {
    const db = openDatabase(':memory:');
    seed(db);
    const directory = new SqliteDirectory(db);
    const read = (holderId: number) =>
      directory.permissionsOf(holderId).sort((a, b) => a.slot - b.slot);
    const expected = (holderId: number) =>
      (fromTable(db, holderId) as Array<Record<string, string | number | null>>).map(
        ({ validFrom, validUntil, ...rest }) => ({
          ...rest,
          validFromMs: validFrom === null ? null : Date.parse(String(validFrom)),
          validUntilMs: validUntil === null ? null : Date.parse(String(validUntil)),
        }),
      );
    for (const holderId of [1, 2, 3]) expect(read(holderId)).toEqual(expected(holderId));
    expect(read(1)).toHaveLength(3);
    expect(read(1)[0]).toEqual({
      holderId: 1,
      slot: 1,
      validFromMs: Date.parse('2026-06-01T08:00:00.000Z'),
      validUntilMs: Date.parse('2026-07-01T17:00:00.000Z'),
      maxLoanMinutes: 90,
    });
    expect(read(4)).toEqual([]);
    // A change is seen by the next read: the index is kept with the table.
    db.prepare('UPDATE permissions SET valid_until = ? WHERE holder_id = 2 AND slot = 4').run(
      '2027-01-31T23:59:00.000Z',
    );
    db.prepare('DELETE FROM permissions WHERE holder_id = 1 AND slot = 3').run();
    expect(read(2).map((p) => p.validUntilMs)).toEqual([Date.parse('2027-01-31T23:59:00.000Z')]);
    expect(read(1).map((p) => p.slot)).toEqual([1, 4]);
    for (const holderId of [1, 2, 3]) expect(read(holderId)).toEqual(expected(holderId));
  });

  it('upgrades a version-16 database in place: the permissions stay, indexed', () => {
    const db = migratedTo(16);
    seed(db);
    const before = [1, 2, 3].map((h) => fromTable(db, h));
    migrate(db, readMigrations(migrationsDir()), 'mem');
    expect([1, 2, 3].map((h) => fromTable(db, h))).toEqual(before);
    const indexed = db
      .prepare(
        `SELECT count(*) FROM permissions INDEXED BY permissions_of_holder WHERE holder_id > 0`,
      )
      .pluck()
      .get();
    expect(indexed).toBe(5);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
