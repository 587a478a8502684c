import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../domain/events.js';
import { cachedStatement } from './statement-cache.js';

/**
 * Tables derived from events, updated in the same transaction as the event that causes them:
 * the event log stays the truth, and the loans table is how "who has which key" is read fast.
 */
export function applyProjections(db: Database, event: RecordedEvent): void {
  switch (event.type) {
    case 'key.checked_out': {
      const data = event.data as Extract<RecordedEvent['data'], { keyId: number; slot: number }> & {
        holderId: number;
        dueAt?: string | null;
      };
      // A loan still open for this key means a return was missed; close it rather than refuse
      // to record the check-out that is physically happening.
      closeLoan(db, data.keyId, event);
      cachedStatement(
        db,
        'INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq, due_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(data.keyId, data.holderId, data.slot, event.time, event.seq, data.dueAt ?? null);
      return;
    }
    case 'key.overdue': {
      const data = event.data as { keyId: number };
      // Announced once per loan: a restart reminds, it does not announce again.
      cachedStatement(
        db,
        'UPDATE loans SET overdue_at = ? WHERE key_id = ? AND returned_at IS NULL AND overdue_at IS NULL',
      ).run(event.time, data.keyId);
      return;
    }
    case 'validity.expired': {
      const data = event.data as { until: string };
      // Expiries up to here are recorded: after a restart the scan resumes from this instant.
      cachedStatement(
        db,
        'UPDATE policy_marks SET expiries_until = max(coalesce(expiries_until, ?), ?) WHERE id = 1',
      ).run(data.until, data.until);
      return;
    }
    case 'access.denied': {
      const data = event.data as { reason: string; credentialId?: number };
      if (data.reason !== 'wrong_pin' || data.credentialId === undefined) return;
      // Wrong PINs in a row, kept across restarts (migration 010); the flow reads the count.
      cachedStatement(
        db,
        `INSERT INTO pin_failures (credential_id, wrong_pins, last_at) VALUES (?, 1, ?)
           ON CONFLICT (credential_id) DO UPDATE SET wrong_pins = wrong_pins + 1, last_at = ?`,
      ).run(data.credentialId, event.time, event.time);
      return;
    }
    case 'pin.reset': {
      const data = event.data as { credentialId: number };
      cachedStatement(db, 'DELETE FROM pin_failures WHERE credential_id = ?').run(
        data.credentialId,
      );
      return;
    }
    case 'key.checked_in':
    case 'key.returned_unrecorded': {
      const data = event.data as { keyId: number };
      closeLoan(db, data.keyId, event);
      return;
    }
    default:
      return;
  }
}

function closeLoan(db: Database, keyId: number, event: RecordedEvent): void {
  cachedStatement(
    db,
    'UPDATE loans SET returned_at = ?, returned_seq = ? WHERE key_id = ? AND returned_at IS NULL',
  ).run(event.time, event.seq, keyId);
}
