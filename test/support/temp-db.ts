import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';

/** A fresh database file in a temp dir per test, closed and removed after it. */
export function useTempDb(): { open(): { db: Database; file: string; dir: string } } {
  const opened: Array<{ db: Database; dir: string }> = [];
  afterEach(() => {
    for (const { db, dir } of opened.splice(0)) {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return {
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'keywarden-db-'));
      const file = join(dir, 'cabinet.db');
      const db = openDatabase(file);
      opened.push({ db, dir });
      return { db, file, dir };
    },
  };
}
