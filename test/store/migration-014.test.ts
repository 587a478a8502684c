import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkLink } from '../../src/contract/event-chain.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { searchEvents } from '../../src/store/custodian/event-search.js';
import type { Database } from '../../src/store/database.js';
import { filteredUpTo } from '../../src/store/event-filters.js';
import { EventLog } from '../../src/store/event-log.js';
import { migrate, readMigrations } from '../../src/store/migrations.js';
import { migrationsDir } from '../../src/paths.js';
import { FakeClock } from '../support/fake-clock.js';

const HOUR = 3_600_000;

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

/** Everything about the log the upgrade must keep: rows, outbox, acknowledgement, counter. */
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

/** A log written at version 13: holders' and keys' events, some published, acknowledged, pruned. */
function logOfVersion13() {
  const db = migratedTo(13);
  const clock = new FakeClock(Date.parse('2026-06-01T00:00:00Z'));
  const log = new EventLog(db, 'cab-1', clock);
  for (let i = 0; i < 60; i++) {
    clock.advance(HOUR);
    log.append([
      i % 3 === 0
        ? ({ type: 'door.forced', data: {} } as never)
        : ({
            type: i % 3 === 1 ? 'access.granted' : 'key.wrong_slot',
            data: { holderId: 1 + (i % 5), keyId: 1 + (i % 7), slot: 1 },
          } as never),
    ]);
  }
  log.markPublished(Array.from({ length: 40 }, (_, i) => i + 1));
  log.acknowledge(20);
  expect(log.prune(clock.wallMs() - 45 * HOUR)).toBe(14);
  return { db, clock, log };
}

describe('migration 014 on a log in use', () => {
  it('keeps every event, its seq, hash and outbox state, and the search finds the old events', () => {
    const { db, clock, log } = logOfVersion13();
    const before = logState(db, log);
    type Filter = { holderId?: number; keyId?: number; type?: string; from?: string };
    const search = (filter: Filter) =>
      searchEvents(db, { ...filter, limit: 100 }).events.map((found) => found.event.seq);
    // What the search must find: the events of version 13, filtered here, newest first.
    const held = before.rows.map(
      (row) => JSON.parse((row as { payload: string }).payload) as RecordedEvent,
    );
    const matching = (f: Filter) =>
      held
        .filter((e) => {
          const data = e.data as { holderId?: number; keyId?: number };
          return (
            (f.holderId === undefined || data.holderId === f.holderId) &&
            (f.keyId === undefined || data.keyId === f.keyId) &&
            (f.type === undefined || e.type === f.type) &&
            (f.from === undefined || e.time >= f.from)
          );
        })
        .map((e) => e.seq)
        .reverse();
    const filters: Filter[] = [
      { holderId: 2 },
      { keyId: 4 },
      { type: 'key.wrong_slot' },
      { from: '2026-06-02T12:00:00.000Z' },
      { type: 'door.forced', from: '2026-06-02T00:00:00.000Z' },
    ];
    const found = filters.map(matching);
    expect(found.every((seqs) => seqs.length > 0)).toBe(true);

    migratedTo(14, db);
    expect(logState(db, log)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Every event still held is in event_filters, and the search answers as before.
    expect(filteredUpTo(db)).toBe(before.lastSeq);
    expect(db.prepare('SELECT count(*) FROM event_filters').pluck().get()).toBe(before.rows.length);
    expect(filters.map(search)).toEqual(found);

    const newest = JSON.parse((before.rows.at(-1) as { payload: string }).payload) as RecordedEvent;
    const restarted = new EventLog(db, 'cab-1', clock);
    const [next] = restarted.append([
      { type: 'access.granted', data: { holderId: 2, keyId: 1, slot: 1 } } as never,
    ]) as [RecordedEvent];
    expect(next.seq).toBe(before.lastSeq + 1);
    expect(checkLink(next, newest.hash)).toEqual({ ok: true });
    // Not filled yet (the daemon fills after the commit), and found all the same.
    expect(filteredUpTo(db)).toBe(before.lastSeq);
    expect(search({ holderId: 2 })).toEqual([next.seq, ...(found[0] ?? [])]);
  });

  it('leaves the badge commit with no index of the console search, and the search its plans', () => {
    const { db } = logOfVersion13();
    migratedTo(14, db);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
      .pluck()
      .all();
    expect(indexes.sort()).toEqual(
      [
        'events_alarms',
        'events_lockouts',
        'events_unpublished',
        'sqlite_autoindex_events_1',
      ].sort(),
    );
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('; ');
    const page = (where: string) =>
      plan(
        `SELECT e.payload FROM event_filters f CROSS JOIN events e ON e.seq = f.seq WHERE ${where} ORDER BY f.seq DESC LIMIT 51`,
      );
    expect(page("f.type = 'x'")).toContain('event_filters_type');
    expect(page('f.holder_id = 3')).toContain('event_filters_holder');
    expect(page('f.key_id = 3 AND f.seq < 100')).toContain('event_filters_key');
    expect(page("f.type = 'x'")).not.toContain('TEMP B-TREE');
    expect(
      plan("SELECT max(seq) FROM event_filters WHERE time >= 'a' AND time < 'b' AND seq < 9"),
    ).toContain('event_filters_time');
  });
});
