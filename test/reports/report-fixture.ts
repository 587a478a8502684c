import type { Database } from 'better-sqlite3';
import type { NewEvent } from '../../src/domain/events.js';
import { CustodianApp } from '../../src/app/custodian-app.js';
import type { Cell, Report } from '../../src/reports/report.js';
import { ensureSlots } from '../../src/store/slots.js';
import { EventLog } from '../../src/store/event-log.js';
import { FakeClock } from '../support/fake-clock.js';

/** The moment the reports are asked for in these tests. */
export const NOW = new Date('2026-01-15T10:00:00.000Z');

const at = (hhmm: string, day = '2026-01-15') => Date.parse(`${day}T${hhmm}:00.000Z`);

/**
 * A 12-slot cabinet with a known past. Holders: 1 Alice, 2 Bob, 3 Carl (disabled later).
 * Keys: 1 K-1 (slot 1), 2 K-2 (slot 2), 3 K-3 (slot 3, lost), 4 K-4 (slot 4), 5 K-5 (slot 5).
 * Yesterday Alice took K-2 and brought it back. Today: Alice took K-1 at 08:00 (due 09:00,
 * overdue at NOW), Bob K-2 at 08:10 (due 12:00), Carl K-5 at 08:15 (no due time) and was
 * disabled at 08:40; K-4 was pulled out of slot 4 without a release at 08:30.
 */
export function seedReportCabinet(db: Database): { clock: FakeClock } {
  ensureSlots(db, 12);
  const clock = new FakeClock(at('07:00', '2026-01-14'));
  const log = new EventLog(db, 'report-cab', clock);
  const app = CustodianApp.open(
    db,
    log,
    { kind: 'custodian', account: 'carol' },
    () => new Date(clock.wallMs()),
  );
  const alice = app.holders.add('Alice');
  const bob = app.holders.add('Bob');
  const carl = app.holders.add('Carl');
  for (const [n, tag] of [1, 2, 3, 4, 5].map((n) => [n, `A00000000${n}`] as const)) {
    app.keys.add(tag, n, `K-${n}`);
  }
  app.permissions.grant(alice, 1);
  app.permissions.grant(alice, 2);
  app.permissions.grant(bob, 2);
  app.permissions.grant(carl, 5);
  db.prepare("UPDATE keys SET state = 'lost' WHERE id = 3").run();

  const record = (time: number, event: NewEvent) => {
    clock.advance(time - clock.wallMs());
    log.append([event]);
  };
  const who = (id: number, name: string) => ({ holderId: id, holderName: name });
  record(at('15:00', '2026-01-14'), {
    type: 'key.checked_out',
    data: { keyId: 2, keyLabel: 'K-2', ...who(alice, 'Alice'), slot: 2, dueAt: null },
  });
  record(at('16:30', '2026-01-14'), {
    type: 'key.checked_in',
    data: {
      keyId: 2,
      keyLabel: 'K-2',
      ...who(alice, 'Alice'),
      slot: 2,
      outAt: '2026-01-14T15:00:00.000Z',
      durationSeconds: 5400,
      returnedBy: alice,
    },
  });
  record(at('08:00'), {
    type: 'key.checked_out',
    data: { keyId: 1, keyLabel: 'K-1', ...who(alice, 'Alice'), slot: 1, dueAt: null },
  });
  record(at('08:10'), {
    type: 'key.checked_out',
    data: { keyId: 2, keyLabel: 'K-2', ...who(bob, 'Bob'), slot: 2, dueAt: null },
  });
  record(at('08:15'), {
    type: 'key.checked_out',
    data: { keyId: 5, keyLabel: 'K-5', ...who(carl, 'Carl'), slot: 5, dueAt: null },
  });
  record(at('08:30'), { type: 'key.forced', data: { slot: 4, keyId: 4, keyLabel: 'K-4' } });
  clock.advance(at('08:40') - clock.wallMs());
  app.holders.disable(carl);
  // The daemon fixes the due time at check-out; these loans were recorded without it.
  db.prepare(
    "UPDATE loans SET due_at = '2026-01-15T09:00:00.000Z' WHERE key_id = 1 AND returned_at IS NULL",
  ).run();
  db.prepare(
    "UPDATE loans SET due_at = '2026-01-15T12:00:00.000Z' WHERE key_id = 2 AND returned_at IS NULL",
  ).run();
  return { clock };
}

/** One column of a report keyed by the row's slot ("3"), as the audit's checks read it. */
export function columnBySlot(report: Report, column: string): Record<string, Cell | undefined> {
  return Object.fromEntries(report.rows.map((row) => [String(row.slot), row[column]] as const));
}
