import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLink } from '../../src/contract/event-chain.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { EventLog } from '../../src/store/event-log.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

// Migration 011 dropped AUTOINCREMENT: the next seq is the newest row's plus one. That is only
// safe if the newest event can never be deleted, by the log's own pruning or by any DELETE at
// all (the trigger of migration 002). These tests delete everything that may be deleted and
// check that the next number is still one never used.

const temp = useTempDb();
const DAY = 86_400_000;

function setup() {
  const { db } = temp.open();
  const clock = new FakeClock();
  return { db, clock, log: new EventLog(db, 'cab-1', clock) };
}

const doorForced = (n: number) =>
  Array.from({ length: n }, () => ({ type: 'door.forced' as const, data: {} }));

function seqs(db: Database): number[] {
  return db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
}

describe('a sequence number is never used twice without AUTOINCREMENT', () => {
  it('keeps no sqlite_sequence row for the log and declares no AUTOINCREMENT', () => {
    const { db, log } = setup();
    log.append(doorForced(3));
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").pluck().get();
    expect(sql).not.toMatch(/AUTOINCREMENT/i);
    const counters = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'",
    );
    // Other tables may use AUTOINCREMENT; the log must not be among them.
    if (counters.pluck().get() === 1) {
      expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get()).toBe(
        undefined,
      );
    }
  });

  it('continues after pruning everything that may be pruned, in batches and by hand', () => {
    const { db, clock, log } = setup();
    const first = log.append(doorForced(40));
    clock.advance(30 * DAY);
    log.acknowledge(40);
    // The daemon's pruning, far in the future so every event is old enough, in small batches.
    let pruned = 0;
    for (let n = log.prune(clock.wallMs() + DAY, 7); n > 0; n = log.prune(clock.wallMs() + DAY, 7))
      pruned += n;
    expect(pruned).toBe(39);
    expect(seqs(db)).toEqual([40]);
    // Nothing else goes, whatever the statement.
    for (const sql of [
      'DELETE FROM events',
      'DELETE FROM events WHERE seq = 40',
      'DELETE FROM events WHERE seq >= 1',
    ]) {
      expect(() => db.prepare(sql).run(), sql).toThrow(/never the newest/);
    }
    expect(seqs(db)).toEqual([40]);

    const newest = first.at(-1) as RecordedEvent;
    const [next] = log.append(doorForced(1)) as [RecordedEvent];
    expect(next.seq).toBe(41);
    expect(checkLink(next, newest.hash)).toEqual({ ok: true });
    // A new EventLog (a restart) reads the same next number from the database.
    const [after] = new EventLog(db, 'cab-1', clock).append(doorForced(1)) as [RecordedEvent];
    expect(after.seq).toBe(42);
  });

  it('starts at 1 and never gives a number twice, whatever appends, acks and prunes come', () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('ack' as const), back: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('prune' as const), batch: fc.integer({ min: 1, max: 5 }) }),
      // By hand: one row counted back from the newest, or everything at once.
      fc.record({
        kind: fc.constant('delete' as const),
        back: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('restart' as const) }),
      fc.record({ kind: fc.constant('rollback' as const), n: fc.integer({ min: 1, max: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        // In memory: the same schema and triggers, without an fsync per append.
        const db = openDatabase(':memory:');
        const clock = new FakeClock();
        let log = new EventLog(db, 'cab-1', clock);
        const given: number[] = [];
        let newest: RecordedEvent | undefined;
        for (const a of actions) {
          clock.advance(DAY);
          switch (a.kind) {
            case 'append':
              for (const e of log.append(doorForced(a.n))) {
                expect(checkLink(e, newest?.hash)).toEqual({ ok: true });
                given.push(e.seq);
                newest = e;
              }
              break;
            case 'ack':
              log.acknowledge(Math.max(log.lastSeq() - a.back, 0));
              break;
            case 'prune':
              log.prune(clock.wallMs(), a.batch);
              break;
            case 'delete':
              // Deleting by hand is refused for the newest event and for unacknowledged ones.
              try {
                if (a.back === undefined) db.prepare('DELETE FROM events').run();
                else db.prepare('DELETE FROM events WHERE seq = ?').run(log.lastSeq() - a.back);
              } catch (error) {
                expect((error as Error).message).toMatch(/only events acknowledged/);
              }
              break;
            case 'restart':
              log = new EventLog(db, 'cab-1', clock);
              break;
            case 'rollback':
              // Numbers taken by a transaction that failed were never committed or published.
              expect(() =>
                log.transaction(() => {
                  log.appendInTransaction(doorForced(a.n));
                  throw new Error('rolled back');
                }),
              ).toThrow('rolled back');
              break;
          }
        }
        expect(given).toEqual(given.map((_, i) => i + 1));
        if (newest) expect(seqs(db).at(-1)).toBe(newest.seq);
        db.close();
      }),
      { numRuns: 300 },
    );
  });
});
