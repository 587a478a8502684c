import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent, RecordedEvent } from '../../src/domain/events.js';
import { searchEvents, type EventFilter } from '../../src/store/custodian/event-search.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { fillEventFilters, filteredUpTo } from '../../src/store/event-filters.js';
import { FakeClock } from '../support/fake-clock.js';

// The console's event log reads its filters from event_filters, which the daemon fills after
// the commit (migration 014), and the events not yet in it from events itself. Whatever the
// table holds, a search must answer exactly what a plain filter over every event would.

const HOUR = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cabinet(): { db: Database; log: EventLog; clock: FakeClock } {
  const dir = mkdtempSync(join(tmpdir(), 'kw-search-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'cabinet.db'));
  const now = '2026-01-01T00:00:00.000Z';
  for (let id = 1; id <= 4; id++) {
    db.prepare('INSERT INTO holders (id, name, created_at) VALUES (?, ?, ?)').run(
      id,
      `Holder ${id}`,
      now,
    );
    db.prepare('INSERT OR IGNORE INTO slots (number) VALUES (?)').run(id);
    db.prepare(
      'INSERT INTO keys (id, tag, label, home_slot, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, `04000000${id}`, `K-${id}`, id, now);
  }
  const clock = new FakeClock(Date.parse('2026-03-01T00:00:00Z'));
  return { db, log: new EventLog(db, 'cab-1', clock), clock };
}

/** Events of a few types naming holders 1–4 and keys 1–4 in a fixed pattern, an hour apart. */
function record(log: EventLog, clock: FakeClock, count: number, from: number): void {
  for (let i = from; i < from + count; i++) {
    clock.advance(HOUR);
    const event: NewEvent =
      i % 5 === 0
        ? ({ type: 'door.held_open', data: { seconds: 60 } } as never)
        : i % 5 === 1
          ? ({ type: 'access.denied', data: { holderId: 1 + (i % 4), reason: 'x' } } as never)
          : ({
              type: i % 5 === 2 ? 'key.checked_out' : 'key.checked_in',
              data: { holderId: 1 + (i % 4), keyId: 1 + ((i >> 1) % 4), slot: 1 },
            } as never);
    log.append([event]);
  }
}

/** Every page of a search, newest first, as seqs. */
function allPages(db: Database, filter: Omit<EventFilter, 'limit'>, limit: number): number[] {
  const seqs: number[] = [];
  let beforeSeq: number | undefined = filter.beforeSeq;
  for (;;) {
    const page = searchEvents(db, { ...filter, ...(beforeSeq ? { beforeSeq } : {}), limit });
    seqs.push(...page.events.map((found) => found.event.seq));
    const last = page.events.at(-1);
    if (!page.more || !last) return seqs;
    beforeSeq = last.event.seq;
  }
}

/** What the search must answer: every event, filtered in JavaScript. */
function expected(db: Database, filter: Omit<EventFilter, 'limit'>): number[] {
  const events = (
    db.prepare('SELECT payload FROM events ORDER BY seq DESC').all() as Array<{ payload: string }>
  ).map((row) => JSON.parse(row.payload) as RecordedEvent & { data: Record<string, unknown> });
  return events
    .filter(
      (e) =>
        (filter.type === undefined || e.type === filter.type) &&
        (filter.holderId === undefined || e.data['holderId'] === filter.holderId) &&
        (filter.keyId === undefined || e.data['keyId'] === filter.keyId) &&
        (filter.from === undefined || e.time >= filter.from) &&
        (filter.to === undefined || e.time < filter.to) &&
        (filter.beforeSeq === undefined || e.seq < filter.beforeSeq),
    )
    .map((e) => e.seq);
}

const iso = (ms: number) => new Date(ms).toISOString();
const START = Date.parse('2026-03-01T00:00:00Z');

/** Filters of every kind, alone and together, including windows across the clock's step back. */
const FILTERS: Array<Omit<EventFilter, 'limit'>> = [
  {},
  { beforeSeq: 30 },
  { type: 'key.checked_out' },
  { type: 'door.held_open', beforeSeq: 41 },
  { holderId: 2 },
  { keyId: 3 },
  { keyId: 3, type: 'key.checked_in' },
  { from: iso(START + 10 * HOUR), to: iso(START + 30 * HOUR) },
  { from: iso(START + 35 * HOUR) },
  { to: iso(START + 12 * HOUR) },
  { holderId: 1, from: iso(START + 5 * HOUR), to: iso(START + 50 * HOUR) },
  { type: 'access.denied', from: iso(START + 20 * HOUR) },
  { keyId: 99 },
];

describe('the event log search', () => {
  it('answers every filter exactly, whichever events event_filters holds yet', () => {
    const { db, log, clock } = cabinet();
    record(log, clock, 40, 0);
    // A forged clock put right: the later events carry earlier times than the ones before them,
    // so time does not follow seq and a time range cannot be found by seq alone.
    clock.stepWall(-30 * HOUR);
    record(log, clock, 30, 40);
    // Nothing filled (as at the first start after recording), part filled, everything filled.
    for (const fill of [0, 25, 1_000]) {
      if (fill > 0) fillEventFilters(db, fill - filteredUpTo(db));
      expect(filteredUpTo(db)).toBe(Math.min(fill, 70));
      for (const filter of FILTERS) {
        for (const limit of [1, 7, 100]) {
          expect(allPages(db, filter, limit), JSON.stringify({ fill, filter, limit })).toEqual(
            expected(db, filter),
          );
        }
      }
    }
    expect(filteredUpTo(db)).toBe(log.lastSeq());
    db.close();
  });

  it('names the holder and the key of each event found through either table', () => {
    const { db, log, clock } = cabinet();
    record(log, clock, 10, 0);
    fillEventFilters(db, 5);
    const page = searchEvents(db, { holderId: 3, limit: 10 });
    expect(page.events.length).toBeGreaterThan(1);
    for (const found of page.events) {
      expect(found.holderName).toBe('Holder 3');
      const keyId = (found.event.data as { keyId?: number }).keyId;
      expect(found.keyLabel).toBe(keyId === undefined ? null : `K-${keyId}`);
    }
    expect(page.events.some((f) => f.event.seq > 5)).toBe(true);
    expect(page.events.some((f) => f.event.seq <= 5)).toBe(true);
    db.close();
  });

  it('fills event_filters in bounded batches, oldest first, up to the newest', () => {
    const { db, log, clock } = cabinet();
    record(log, clock, 12, 0);
    expect(filteredUpTo(db)).toBe(0);
    expect(fillEventFilters(db, 5)).toBe(5);
    expect(filteredUpTo(db)).toBe(5);
    expect(fillEventFilters(db, 5)).toBe(5);
    expect(fillEventFilters(db, 5)).toBe(2);
    expect(fillEventFilters(db, 5)).toBe(0);
    expect(filteredUpTo(db)).toBe(log.lastSeq());
    db.close();
  });

  it('fills without a sync of its own, and leaves the connection synchronous=FULL after, even when the fill fails', () => {
    const { db, log, clock } = cabinet();
    const synchronous = () => db.pragma('synchronous', { simple: true });
    expect(synchronous()).toBe(2);
    record(log, clock, 3, 0);
    // The settings the fill asks for, in order (a recorder in front of the real pragma).
    const asked: string[] = [];
    const pragma = db.pragma.bind(db);
    db.pragma = (source: string, options?: { simple?: boolean }) => {
      asked.push(source);
      return pragma(source, options);
    };
    expect(fillEventFilters(db, 5)).toBe(3);
    expect(asked).toEqual(['synchronous', 'synchronous = NORMAL', 'synchronous = 2']);
    expect(synchronous()).toBe(2);
    // A fill that fails puts the setting back too: the badge's next commit is still FULL.
    record(log, clock, 1, 0);
    db.exec(`CREATE TEMP TRIGGER refuse_fill BEFORE INSERT ON event_filters
             BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    expect(() => fillEventFilters(db, 5)).toThrow('disk says no');
    expect(synchronous()).toBe(2);
    db.close();
  });

  it('loses an event from event_filters when pruning deletes the event', () => {
    const { db, log, clock } = cabinet();
    record(log, clock, 20, 0);
    fillEventFilters(db, 100);
    log.acknowledge(15);
    expect(log.prune(clock.wallMs() - 9 * HOUR)).toBe(10);
    const rows = db.prepare('SELECT seq FROM event_filters ORDER BY seq').all() as Array<{
      seq: number;
    }>;
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
    for (const filter of FILTERS) expect(allPages(db, filter, 4)).toEqual(expected(db, filter));
    record(log, clock, 5, 20);
    for (const filter of FILTERS) expect(allPages(db, filter, 4)).toEqual(expected(db, filter));
    db.close();
  });
});
