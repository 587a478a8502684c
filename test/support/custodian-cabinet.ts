import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from './run-cli.js';

export interface RecordedRow {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A cabinet for the custodian's commands: a config and a database file in a temp directory,
 * the real CLI run in-process against them, and what it recorded read back with SQLite.
 */
export function cliCabinet() {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-cli-'));
  const database = join(dir, 'cabinet.db');
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'cli-cab',
      profile: 'sim',
      database,
      // The Unix user running the tests is custodian carol: what --as carol says, and checks.
      custodians: { accounts: { [userInfo().username]: { account: 'carol', role: 'admin' } } },
    }),
  );

  const read = <T>(body: (db: BetterSqlite3.Database) => T, empty: T): T => {
    if (!existsSync(database)) return empty;
    const db = new BetterSqlite3(database, { readonly: true });
    try {
      return body(db);
    } finally {
      db.close();
    }
  };

  return {
    dir,
    database,
    config,
    cli: (...args: string[]) => runCli([...args, '--config', config, '--as', 'carol']),
    /** Without --as: for commands that take none (lists). */
    cliPlain: (...args: string[]) => runCli([...args, '--config', config]),
    events: (): RecordedRow[] =>
      read(
        (db) =>
          (
            db.prepare('SELECT type, payload FROM events ORDER BY seq').all() as Array<{
              type: string;
              payload: string;
            }>
          ).map((r) => ({
            type: r.type,
            data: (JSON.parse(r.payload) as { data: Record<string, unknown> }).data,
          })),
        [],
      ),
    /** Runs a query on the database; [] before it exists. */
    rows: <T>(sql: string, ...params: unknown[]): T[] =>
      read((db) => db.prepare(sql).all(...params) as T[], []),
    /** Writes directly (test setup the CLI has no command for, e.g. a key out on loan). */
    write: (sql: string, ...params: unknown[]): void => {
      const db = new BetterSqlite3(database);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
  };
}

export const CAROL = { kind: 'custodian', account: 'carol' };
