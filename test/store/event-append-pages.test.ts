import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { migrate, readMigrations } from '../../src/store/migrations.js';
import { migrationsDir } from '../../src/paths.js';
import { FakeClock } from '../support/fake-clock.js';

// Every page a commit writes goes to the WAL and is fsync'd before the solenoid may move
// (issue 9's latency goal). Migration 011 took one page off every append: AUTOINCREMENT's row
// in sqlite_sequence. This measures the pages on a log of the schema before it and after it,
// so an index or counter added to events later shows here as a lost page.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A WAL database file at schema `version`, as openDatabase makes it, checkpoints by hand. */
function logAt(version: number): { db: Database; log: EventLog; clock: FakeClock } {
  const dir = mkdtempSync(join(tmpdir(), 'kw-pages-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, 'cabinet.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('wal_autocheckpoint = 0');
  const migrations = readMigrations(migrationsDir()).filter((m) => m.version <= version);
  migrate(db, migrations, 'pages');
  const clock = new FakeClock();
  return { db, log: new EventLog(db, 'cab-1', clock), clock };
}

/** WAL frames (pages) per appended `access.granted`, on average over `count` commits. */
function pagesPerAppend(version: number, count: number): number {
  const { db, log, clock } = logAt(version);
  const grant = (n: number) => ({
    type: 'access.granted' as const,
    data: { holderId: n, holderName: `Holder ${n}`, credentialId: n, card: '…F444', slots: [1, 2] },
  });
  // A log already in use: its pages exist, so only what one more event needs is counted.
  log.append(Array.from({ length: 50 }, (_, i) => grant(i)));
  let frames = 0;
  for (let i = 0; i < count; i++) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    clock.advance(1_000);
    log.append([grant(1_000 + i)]);
    // A passive checkpoint reports the frames in the WAL: this one commit's.
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    frames += state?.log ?? Number.NaN;
  }
  db.close();
  return frames / count;
}

describe('the pages an append writes', () => {
  it('are one fewer since migration 011: no AUTOINCREMENT counter row', () => {
    const before = pagesPerAppend(10, 120);
    const after = pagesPerAppend(11, 120);
    // The event's table page, the id index's, the outbox index's, and now and then a new page.
    expect(after).toBeLessThanOrEqual(before - 0.9);
    expect(after).toBeLessThan(3.6);
  });
});

describe('the pages an append writes since migration 014', () => {
  // The console's event-log filters are filled after the commit (src/store/event-filters.ts).
  it('are those of 011 again: the console search filters are not in the commit', () => {
    const at11 = pagesPerAppend(11, 120);
    const at13 = pagesPerAppend(13, 120);
    const at14 = pagesPerAppend(14, 120);
    // 013's type, holder, key and time indexes wrote a page each: 6.4 pages, 3.4 without them.
    expect(at14).toBeLessThanOrEqual(at11 + 0.05);
    expect(at14).toBeLessThanOrEqual(at13 - 2.9);
  });
});
