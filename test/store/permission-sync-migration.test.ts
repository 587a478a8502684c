import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/store/migrations.js';
import { migrationsDir } from '../../src/paths.js';

/** A database as it was before 003, with foreign keys on as openDatabase sets them. */
function before003() {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    readMigrations(migrationsDir()).filter((m) => m.version < 3),
    'mem',
  );
  return db;
}

describe('migration 003 on a database in use', () => {
  it('rebuilds keys with every row, and the loans that refer to them still do', () => {
    const db = before003();
    db.exec(`
      INSERT INTO slots (number) VALUES (1), (2);
      INSERT INTO holders (id, name, created_at) VALUES (1, 'Alice', 'x');
      INSERT INTO keys (id, tag, label, home_slot, tier, state, max_loan_minutes, created_at)
        VALUES (7, 'AB12', 'K', 1, 'master', 'lost', 60, 'x'), (8, 'AB13', 'L', 2, NULL, 'active', NULL, 'y');
      INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq) VALUES (7, 1, 1, 't', 1);
    `);
    const keys = db.prepare('SELECT * FROM keys ORDER BY id').all();
    // Up to 003 only: later migrations add columns of their own.
    migrate(
      db,
      readMigrations(migrationsDir()).filter((m) => m.version <= 3),
      'mem',
    );
    expect(db.prepare('SELECT * FROM keys ORDER BY id').all()).toEqual(
      keys.map((k) => ({ ...(k as object), retired_tag: null })),
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() => db.prepare('DELETE FROM keys WHERE id = 7').run()).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT version FROM sync_state').pluck().get()).toBe(0);
  });

  it('stops rather than drop a column another migration added to keys', () => {
    const db = before003();
    db.exec('ALTER TABLE keys ADD COLUMN colour TEXT');
    expect(() => migrate(db, readMigrations(migrationsDir()), 'mem')).toThrow(
      /migration 3 \(permission_sync\) failed: CHECK constraint failed: keys_has_exactly_the_columns_003_copies/,
    );
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('keys')").pluck().get()).toBe(9);
  });
});
