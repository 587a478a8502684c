import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach } from 'vitest';
import { runCli } from './run-cli.js';

const made: string[] = [];
// Imported while a test file is collected, so this runs after each test of that file.
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A config for the simulated 12-slot cabinet on a fresh database file, and the CLI bound to it. */
export function cliCabinet(): {
  dir: string;
  database: string;
  cli: (...args: string[]) => ReturnType<typeof runCli>;
  file: (name: string, text: string) => string;
  query: <T>(sql: string, ...params: unknown[]) => T[];
} {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-cli-'));
  made.push(dir);
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
  return {
    dir,
    database,
    cli: (...args) => runCli([...args, '--config', config]),
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new BetterSqlite3(database, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
  };
}
