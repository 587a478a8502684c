import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { FakeClock } from '../support/fake-clock.js';
import { useTempDb } from '../support/temp-db.js';

const temp = useTempDb();

function setup() {
  const { db, file } = temp.open();
  const log = new EventLog(db, 'cab-1', new FakeClock());
  return { db, file, log };
}

describe('EventLog', () => {
  it('gives each event a UUID, the next sequence number and a UTC time, and stores the exact JSON', () => {
    const { db, log } = setup();
    const [a, b] = log.append([
      { type: 'door.forced', data: {} },
      { type: 'key.unknown_fob', data: { slot: 2, tag: 'ABCD' } },
    ]);
    expect(a?.seq).toBe(1);
    expect(b?.seq).toBe(2);
    expect(a?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.time).toBe('2026-11-24T09:00:00.000Z');
    const row = db.prepare('SELECT payload FROM events WHERE seq = 2').get() as { payload: string };
    expect(JSON.parse(row.payload)).toEqual(b);
    expect(JSON.parse(row.payload)).toMatchObject({ cabinetId: 'cab-1', type: 'key.unknown_fob' });
  });

  it('never reuses a sequence number, even after rows are pruned', () => {
    const { log } = setup();
    log.append([
      { type: 'door.forced', data: {} },
      { type: 'door.forced', data: {} },
    ]);
    log.acknowledge(2);
    expect(log.prune(Date.parse('2100-01-01'))).toBe(1); // the newest always stays
    expect(log.firstSeq()).toBe(2);
    expect(log.append([{ type: 'door.forced', data: {} }])[0]?.seq).toBe(3);
  });

  it('refuses to edit a recorded event', () => {
    const { db, log } = setup();
    log.append([{ type: 'door.forced', data: {} }]);
    expect(() => db.prepare("UPDATE events SET payload = '{}' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
  });

  it('pages unsent events in order and forgets them once marked published', () => {
    const { log } = setup();
    log.append(Array.from({ length: 5 }, () => ({ type: 'door.forced' as const, data: {} })));
    expect(log.unsent(0, 2).map((r) => r.seq)).toEqual([1, 2]);
    expect(log.unsent(2, 10).map((r) => r.seq)).toEqual([3, 4, 5]);
    log.markPublished([1, 2, 4]);
    expect(log.unsent(0, 10).map((r) => r.seq)).toEqual([3, 5]);
    expect(log.depth()).toBe(2);
  });

  it('opens a loan with key.checked_out and closes it with key.checked_in, in the same transaction', () => {
    const { db, log } = setup();
    ensureSlots(db, 2);
    db.prepare("INSERT INTO holders (id, name, created_at) VALUES (1, 'A', 'x')").run();
    db.prepare(
      "INSERT INTO keys (id, tag, label, home_slot, created_at) VALUES (7, 'AB12', 'K', 1, 'x')",
    ).run();
    const ref = { keyId: 7, keyLabel: 'K', holderId: 1, holderName: 'A', slot: 1, dueAt: null };
    log.append([{ type: 'key.checked_out', data: ref }]);
    expect(db.prepare('SELECT count(*) AS n FROM loans WHERE returned_at IS NULL').get()).toEqual({
      n: 1,
    });
    log.append([
      {
        type: 'key.checked_in',
        data: { ...ref, outAt: 'x', durationSeconds: 1, returnedBy: null },
      },
    ]);
    expect(db.prepare('SELECT returned_seq FROM loans').get()).toEqual({ returned_seq: 2 });
  });

  it('commits nothing when a projection fails', () => {
    const { db, log } = setup();
    const ref = { keyId: 99, keyLabel: 'K', holderId: 1, holderName: 'A', slot: 1, dueAt: null };
    expect(() =>
      log.append([
        { type: 'door.forced', data: {} },
        { type: 'key.checked_out', data: ref },
      ]),
    ).toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });
});
