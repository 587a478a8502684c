import { expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import {
  completeRequest,
  insertRequest,
  pendingRequests,
  requestWaiting,
} from '../../src/store/custodian/requests.js';

const actor = { kind: 'custodian', account: 'maria' } as const;
const at = (iso: string) => new Date(iso);

it('an enrolment waits exactly while pendingRequests would list it', () => {
  const db = openDatabase(':memory:');
  db.prepare(
    "INSERT INTO holders (id, name, created_at) VALUES (1, 'Alice', '2026-01-01T00:00:00Z')",
  ).run();
  const now = at('2026-06-01T10:00:00.000Z');
  const agree = (when: Date) => {
    const waiting = requestWaiting(db, 'enrol_card', when);
    expect(waiting).toBe(pendingRequests(db, 'enrol_card', when).length > 0);
    return waiting;
  };
  expect(agree(now)).toBe(false);
  // Another kind of request is not an enrolment.
  insertRequest(db, 'clear_lockout', { subject: 'reader' }, actor, now, 60_000);
  expect(agree(now)).toBe(false);
  const { id } = insertRequest(db, 'enrol_card', { holderId: 1 }, actor, now, 60_000);
  expect(agree(now)).toBe(true);
  // Expired: at its expiry instant it no longer waits.
  expect(agree(at('2026-06-01T10:00:59.999Z'))).toBe(true);
  expect(agree(at('2026-06-01T10:01:00.000Z'))).toBe(false);
  // Done (taken, cancelled): no longer waits.
  expect(completeRequest(db, id, { cancelled: true }, now)).toBe(true);
  expect(agree(now)).toBe(false);
});
