import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkLink } from '../../src/contract/event-chain.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import type { Database } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { migrate, readMigrations } from '../../src/store/migrations.js';
import { migrationsDir } from '../../src/paths.js';
import { FakeClock } from '../support/fake-clock.js';

const DAY = 86_400_000;

/** A database brought to `version` only, with foreign keys on as openDatabase sets them. */
function migratedTo(version: number, db: Database = new BetterSqlite3(':memory:')): Database {
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    readMigrations(migrationsDir()).filter((m) => m.version <= version),
    'mem',
  );
  return db;
}

/** Everything about the log a later version must keep: rows, outbox, acknowledgement, counter. */
function logState(db: Database, log: EventLog) {
  return {
    rows: db.prepare('SELECT * FROM events ORDER BY seq').all(),
    unsent: log.unsent(0, 1_000),
    depth: log.depth(),
    firstSeq: log.firstSeq(),
    lastSeq: log.lastSeq(),
    ackedSeq: log.ackedSeq(),
  };
}

/**
 * A log written by schema versions 1 to 10: one event from before the hash chain (001 stored no
 * hash), chained events of several types with version 4 ids, some published, some acknowledged
 * and pruned, lockouts for their partial index.
 */
function logOfVersion10() {
  const db = migratedTo(1);
  db.prepare(
    `INSERT INTO events (id, type, time, payload, published_at)
     VALUES (?, 'door.forced', '2026-01-01T00:00:00.000Z', '{"v":1}', '2026-01-01T00:00:01.000Z')`,
  ).run(randomUUID());
  migratedTo(10, db);
  const clock = new FakeClock();
  const log = new EventLog(db, 'cab-1', clock);
  const lockout = { subject: 'credential', credentialId: 3, durationSeconds: 600, wrongPins: 5 };
  for (let i = 0; i < 30; i++) {
    clock.advance(DAY);
    log.append([
      { type: 'door.forced', data: {} },
      { type: 'key.unknown_fob', data: { slot: 1 + (i % 12), tag: `A0${i}` } },
      ...(i % 10 === 0 ? [{ type: 'lockout.started', data: lockout } as never] : []),
    ]);
  }
  log.markPublished(Array.from({ length: 50 }, (_, i) => i + 1));
  log.acknowledge(20);
  expect(log.prune(clock.wallMs() - 20 * DAY)).toBeGreaterThan(0);
  // Version 10 kept the highest seq in sqlite_sequence (AUTOINCREMENT).
  const counter = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck();
  expect(counter.get()).toBe(log.lastSeq());
  return { db, clock, log };
}

describe('migration 011 on a log in use', () => {
  it('keeps every event, its seq, hash and outbox state, and the next seq follows the last', () => {
    const { db, clock, log } = logOfVersion10();
    const before = logState(db, log);
    const newest = JSON.parse((before.rows.at(-1) as { payload: string }).payload) as RecordedEvent;
    expect(before.firstSeq).toBeGreaterThan(1); // some were pruned
    expect(before.depth).toBeGreaterThan(0); // some wait for the broker

    migratedTo(11, db);
    expect(logState(db, log)).toEqual(before);
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get()).toBe(
      undefined,
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);

    const restarted = new EventLog(db, 'cab-1', clock);
    const [next] = restarted.append([{ type: 'door.forced', data: {} }]) as [RecordedEvent];
    expect(next.seq).toBe(before.lastSeq + 1);
    expect(checkLink(next, newest.hash)).toEqual({ ok: true });
    expect(restarted.unsent(0, 1_000).map((r) => r.seq)).toEqual([
      ...before.unsent.map((r) => r.seq),
      next.seq,
    ]);
  });

  it('brings back the indexes the outbox and the lockouts read, and the triggers', () => {
    const { db, log } = logOfVersion10();
    migratedTo(11, db);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('; ');
    expect(
      plan('SELECT seq FROM events WHERE published_at IS NULL AND seq > 0 ORDER BY seq LIMIT 5'),
    ).toContain('events_unpublished');
    expect(
      plan(
        "SELECT payload FROM events WHERE type IN ('lockout.started', 'lockout.ended', 'lockout.cleared') ORDER BY seq",
      ),
    ).toContain('events_lockouts');
    expect(() =>
      db.prepare("UPDATE events SET payload = '{}' WHERE seq = ?").run(log.lastSeq()),
    ).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = ?').run(log.lastSeq())).toThrow(
      /only events acknowledged/,
    );
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/only events acknowledged/);
    // The id stays unique.
    const id = db.prepare('SELECT id FROM events ORDER BY seq LIMIT 1').pluck().get();
    expect(() =>
      db
        .prepare(
          "INSERT INTO events (seq, id, type, time, payload) VALUES (999, ?, 'x', 't', '{}')",
        )
        .run(id),
    ).toThrow(/UNIQUE/);
  });

  it('stops, changing nothing, when events has a column it would not copy', () => {
    const db = migratedTo(10);
    new EventLog(db, 'cab-1', new FakeClock()).append([{ type: 'door.forced', data: {} }]);
    db.exec('ALTER TABLE events ADD COLUMN colour TEXT');
    const rows = db.prepare('SELECT * FROM events').all();
    expect(() => migratedTo(11, db)).toThrow(
      /migration 11 \(event_log_append_pages\) failed: CHECK constraint failed: events_has_exactly_the_columns_011_copies/,
    );
    expect(db.prepare('SELECT * FROM events').all()).toEqual(rows);
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get()).toBe(
      1,
    );
  });
});
