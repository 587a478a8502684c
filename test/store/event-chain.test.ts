import { describe, expect, it } from 'vitest';
import { checkLink, eventHash, GENESIS_HASH } from '../../src/contract/event-chain.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

function setup() {
  const { db } = temp.open();
  const clock = new FakeClock();
  return { db, clock, log: new EventLog(db, 'cab-1', clock) };
}

describe('the hash chain', () => {
  it('links each event to the one before, from the genesis hash, across appends', () => {
    const { log } = setup();
    const [a, b] = log.append([
      { type: 'door.forced', data: {} },
      { type: 'door.forced', data: {} },
    ]);
    const [c] = log.append([{ type: 'key.unknown_fob', data: { slot: 3, tag: 'ABCD' } }]);
    expect(a?.prevHash).toBe(GENESIS_HASH);
    expect(b?.prevHash).toBe(a?.hash);
    expect(c?.prevHash).toBe(b?.hash);
    for (const [event, previous] of [
      [a, undefined],
      [b, a],
      [c, b],
    ] as Array<[RecordedEvent, RecordedEvent | undefined]>) {
      expect(checkLink(event, previous?.hash)).toEqual({ ok: true });
      expect(event.hash).toBe(eventHash(event));
    }
  });

  it('detects an edited payload and a deleted or reordered event', () => {
    const { log } = setup();
    const [a, b, c] = log.append([
      { type: 'door.forced', data: {} },
      { type: 'key.unknown_fob', data: { slot: 3, tag: 'ABCD' } },
      { type: 'door.forced', data: {} },
    ]) as [RecordedEvent, RecordedEvent, RecordedEvent];
    const edited = { ...b, data: { slot: 4, tag: 'ABCD' } } as RecordedEvent;
    expect(checkLink(edited, a.hash)).toEqual({ ok: false, reason: 'hash_mismatch' });
    expect(checkLink(c, a.hash)).toEqual({ ok: false, reason: 'broken_link' }); // b deleted
    expect(checkLink(b, c.hash)).toEqual({ ok: false, reason: 'broken_link' }); // reordered
  });

  it('records whether the wall clock was synchronised, with monotonic time and the boot', () => {
    const { clock, log } = setup();
    clock.synced = false;
    const [e] = log.append([{ type: 'door.forced', data: {} }]);
    expect(e).toMatchObject({ clockSynced: false, monotonicMs: 1000, bootId: 'test-boot' });
    clock.synced = true;
    clock.stepWall(-3_600_000);
    clock.advance(5);
    const [f] = log.append([{ type: 'door.forced', data: {} }]);
    expect(f).toMatchObject({
      clockSynced: true,
      monotonicMs: 1005,
      time: '2026-11-24T08:00:00.005Z',
    });
  });
});

describe('acknowledgement, replay and pruning', () => {
  it('moves the acknowledged sequence only forward and never past what was recorded', () => {
    const { log } = setup();
    log.append([
      { type: 'door.forced', data: {} },
      { type: 'door.forced', data: {} },
    ]);
    expect(log.acknowledge(3)).toBe('ahead');
    expect(log.acknowledge(2)).toBe('acknowledged');
    expect(log.acknowledge(1)).toBe('stale');
    expect(log.ackedSeq()).toBe(2);
    expect(log.unacknowledged()).toBe(0);
  });

  it('prunes only acknowledged events older than the retention, and never the newest', () => {
    const { clock, db, log } = setup();
    log.append([{ type: 'door.forced', data: {} }]);
    clock.advance(10 * 86_400_000);
    log.append([
      { type: 'door.forced', data: {} },
      { type: 'door.forced', data: {} },
    ]);
    const weekAgo = clock.wallMs() - 7 * 86_400_000;
    expect(log.prune(weekAgo)).toBe(0); // nothing acknowledged yet
    log.acknowledge(3);
    expect(log.prune(weekAgo)).toBe(1); // only seq 1 is old enough
    expect(log.prune(clock.wallMs() + 1)).toBe(1); // seq 2; seq 3 is the newest
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/never the newest/);
    expect(log.lastSeq()).toBe(3);
  });

  it('refuses to delete an event the central server has not acknowledged', () => {
    const { db, log } = setup();
    log.append([
      { type: 'door.forced', data: {} },
      { type: 'door.forced', data: {} },
    ]);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/acknowledged/);
  });

  it('requeues events from a sequence number for a replay', () => {
    const { log } = setup();
    log.append([1, 2, 3].map(() => ({ type: 'door.forced' as const, data: {} })));
    log.markPublished([1, 2, 3]);
    expect(log.requeueFrom(2)).toBe(2);
    expect(log.unsent(0, 10).map((r) => r.seq)).toEqual([2, 3]);
  });
});
