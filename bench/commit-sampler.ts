import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';

/** About the size of one recorded event's JSON, so the bare commit writes a comparable row. */
const ROW = 'x'.repeat(600);

/**
 * The floor under the daemon's commit: one fsync'd SQLite commit and nothing else. Its own
 * database file beside the daemon's (same directory, so the same disk and file system), in
 * WAL with synchronous=FULL as the daemon's, one autocommitted INSERT per sample. The badge
 * benchmark takes one sample next to every badge, so both see the disk in the same state.
 */
export class BareCommitSampler {
  private readonly db: Database;
  private readonly insert: Statement;

  constructor(file: string) {
    this.db = new BetterSqlite3(file);
    this.db.pragma('journal_mode = WAL');
    // better-sqlite3 builds SQLite with WAL defaulting to NORMAL (no fsync per commit).
    this.db.pragma('synchronous = FULL');
    // 2 = FULL: a floor measured without the fsync would make the goal meaningless.
    if (this.db.pragma('synchronous', { simple: true }) !== 2) {
      throw new Error(`${file}: synchronous=FULL did not take`);
    }
    this.db.exec('CREATE TABLE IF NOT EXISTS samples (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO samples (body) VALUES (?)');
  }

  /** Milliseconds for one committed (and fsync'd) insert. */
  measure(): number {
    const t0 = performance.now();
    this.insert.run(ROW);
    return performance.now() - t0;
  }

  close(): void {
    this.db.close();
  }
}
