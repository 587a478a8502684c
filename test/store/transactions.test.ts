import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { inTransaction } from '../../src/store/statement-cache.js';

// inTransaction stands in for `db.transaction(body)[mode]()` on the badge's path (one wrapper
// per connection instead of one per call): it must behave exactly as that does.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two connections to one WAL file, as the daemon and a custodian command have. */
function twoConnections(): [Database, Database] {
  const dir = mkdtempSync(join(tmpdir(), 'kw-tx-'));
  dirs.push(dir);
  const file = join(dir, 'x.db');
  const first = new BetterSqlite3(file);
  first.pragma('journal_mode = WAL');
  first.exec('CREATE TABLE t (x INTEGER)');
  const second = new BetterSqlite3(file);
  second.pragma('busy_timeout = 0');
  return [first, second];
}

const count = (db: Database) => db.prepare('SELECT count(*) FROM t').pluck().get();

describe('inTransaction', () => {
  it('commits what the body wrote and returns its value', () => {
    const [db, other] = twoConnections();
    const value = inTransaction(db, 'immediate', () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      return 'done';
    });
    expect(value).toBe('done');
    expect(count(other)).toBe(1);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls everything back when the body throws, and rethrows', () => {
    const [db] = twoConnections();
    expect(() =>
      inTransaction(db, 'immediate', () => {
        db.prepare('INSERT INTO t VALUES (1)').run();
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(count(db)).toBe(0);
    expect(db.inTransaction).toBe(false);
  });

  it('nests as a savepoint: an inner failure caught keeps the outer writes', () => {
    const [db] = twoConnections();
    inTransaction(db, 'immediate', () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      expect(() =>
        inTransaction(db, 'immediate', () => {
          db.prepare('INSERT INTO t VALUES (2)').run();
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual([1]);
  });

  it('takes the write lock at the start when immediate, not when deferred', () => {
    const [db, other] = twoConnections();
    inTransaction(db, 'immediate', () => {
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
    });
    inTransaction(db, 'deferred', () => {
      count(db);
      other.exec('BEGIN IMMEDIATE');
      other.exec('COMMIT');
    });
  });

  it('keeps one wrapper per connection, each on its own connection', () => {
    const [db, other] = twoConnections();
    inTransaction(db, 'immediate', () => db.prepare('INSERT INTO t VALUES (1)').run());
    inTransaction(other, 'immediate', () => {
      expect(other.inTransaction).toBe(true);
      expect(db.inTransaction).toBe(false);
    });
    expect(count(other)).toBe(1);
  });
});
