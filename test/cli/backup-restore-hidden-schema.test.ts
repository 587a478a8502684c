import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupCabinet, backupTo, databaseDigest } from '../support/backup-cabinet.js';
import { runCli } from '../support/run-cli.js';

const cabinet = () => backupCabinet('keywarden-hidden-schema-');
const fingerprint = databaseDigest;

/**
 * A backup whose schema gains an object named like SQLite's own (`sqlite_...`), written straight
 * into sqlite_schema as an attacker would (CREATE refuses such names).
 */
async function withHiddenObject(
  site: { dir: string; configFile: string },
  type: string,
  name: string,
  tblName: string,
  sql: string,
): Promise<string> {
  const file = await backupTo(site, join(site.dir, `hidden-${name}.db`));
  const db = new BetterSqlite3(file);
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.prepare(
    'INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, 0, ?)',
  ).run(type, name, tblName, sql);
  db.pragma('writable_schema = OFF');
  db.close();
  return file;
}

describe('keywarden restore compares every object of the schema', () => {
  it('refuses a trigger, a view or a table hidden behind a sqlite_ name, changing nothing', async () => {
    const site = cabinet();
    const before = fingerprint(site.database);
    const restore = (from: string) =>
      runCli(['restore', '--config', site.configFile, '--from', from, '--other-cabinet']);

    const trigger = await withHiddenObject(
      site,
      'trigger',
      'sqlite_evil',
      'events',
      "CREATE TRIGGER sqlite_evil BEFORE INSERT ON events WHEN new.type LIKE 'key.%' BEGIN SELECT RAISE(IGNORE); END",
    );
    // The file is otherwise sound: SQLite's own check passes, and the trigger is live.
    const check = new BetterSqlite3(trigger, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const refusedTrigger = await restore(trigger);
    expect(refusedTrigger.code).toBe(1);
    expect(refusedTrigger.err).toMatch(
      /its schema is not Keywarden's: unexpected trigger "sqlite_evil"/,
    );

    const view = await withHiddenObject(
      site,
      'view',
      'sqlite_view',
      'sqlite_view',
      'CREATE VIEW sqlite_view AS SELECT 1',
    );
    expect((await restore(view)).err).toMatch(/unexpected view "sqlite_view"/);

    // A table needs a real root page: one is made under an ordinary name, then renamed.
    const table = await backupTo(site, join(site.dir, 'hidden-table.db'));
    const db = new BetterSqlite3(table);
    db.exec('CREATE TABLE stash (x)');
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.exec(
      "UPDATE sqlite_schema SET name = 'sqlite_stash', tbl_name = 'sqlite_stash', sql = 'CREATE TABLE sqlite_stash (x)' WHERE name = 'stash'",
    );
    db.pragma('writable_schema = OFF');
    db.close();
    expect((await restore(table)).err).toMatch(/unexpected table "sqlite_stash"/);

    expect(fingerprint(site.database)).toBe(before);
    expect(
      readdirSync(join(site.dir, 'state')).filter(
        (f) => f.includes('.tmp') || f.includes('replaced') || f.includes('restore'),
      ),
    ).toEqual([]);
  });

  it('still restores a real backup (its autoindexes and sqlite_sequence are SQLite’s own)', async () => {
    const site = cabinet();
    const file = await backupTo(site, join(site.dir, 'good.db'));
    const db = new BetterSqlite3(file);
    // ANALYZE makes sqlite_stat1, as the daemon's PRAGMA optimize may.
    db.exec('ANALYZE');
    db.close();
    const restored = await runCli(['restore', '--config', site.configFile, '--from', file]);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
  });
});
