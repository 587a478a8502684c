import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isKeywardenError } from '../../src/errors.js';
import { openDatabase } from '../../src/store/database.js';
import { currentVersion, migrate, readMigrations } from '../../src/store/migrations.js';
import { migrationsDir } from '../../src/paths.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

describe('migrations', () => {
  it('applies every numbered file once and records it', () => {
    const { db } = temp.open();
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(
      readMigrations(migrationsDir()).map((m) => ({ version: m.version, name: m.name })),
    );
    expect(migrate(db, readMigrations(migrationsDir()), 'x')).toEqual([]);
  });

  it('opens in WAL with synchronous=FULL, foreign keys on and a busy timeout', () => {
    const { db } = temp.open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('refuses a database newer than the code, naming the file and both versions', () => {
    const { db, file } = temp.open();
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, ?)').run('future', 'now');
    db.close();
    let caught: unknown;
    try {
      openDatabase(file);
    } catch (error) {
      caught = error;
    }
    expect(isKeywardenError(caught, 'DATABASE_TOO_NEW')).toBe(true);
    expect((caught as Error).message).toContain(`${file}: the database is at schema version 99`);
  });

  it('rolls back a failing migration whole and says which one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-mig-'));
    writeFileSync(join(dir, '001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(
      join(dir, '002_broken.sql'),
      'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);',
    );
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, readMigrations(dir), 'mem')).toThrow(/migration 2 \(broken\) failed/);
    expect(currentVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('rejects a gap in the numbering', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-mig-'));
    writeFileSync(join(dir, '001_a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '003_c.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/migration 3 \(c\) is out of sequence; expected 2/);
  });
});
