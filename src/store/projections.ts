import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../domain/events.js';

/**
 * Tables derived from events, updated in the same transaction as the event that causes them:
 * the event log stays the truth, and the loans table is how "who has which key" is read fast.
 */
export function applyProjections(db: Database, event: RecordedEvent): void {
  switch (event.type) {
    case 'key.checked_out': {
      const data = event.data as Extract<RecordedEvent['data'], { keyId: number; slot: number }> & {
        holderId: number;
      };
      // A loan still open for this key means a return was missed; close it rather than refuse
      // to record the check-out that is physically happening.
      closeLoan(db, data.keyId, event);
      db.prepare(
        'INSERT INTO loans (key_id, holder_id, slot, out_at, out_seq) VALUES (?, ?, ?, ?, ?)',
      ).run(data.keyId, data.holderId, data.slot, event.time, event.seq);
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
  db.prepare(
    'UPDATE loans SET returned_at = ?, returned_seq = ? WHERE key_id = ? AND returned_at IS NULL',
  ).run(event.time, event.seq, keyId);
}
