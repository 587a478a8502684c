import type { Database } from 'better-sqlite3';
import type { Actor } from '../../domain/events.js';
import { cachedStatement } from '../statement-cache.js';

/**
 * Requests from the custodian's command line to the running daemon (table custodian_requests,
 * migration 006): what only the daemon can do, because it holds the state concerned (the
 * lockouts in its memory) or the reader (the next card tapped). The CLI inserts a row and waits
 * for its outcome; the daemon carries it out and writes the outcome; a request nobody carried
 * out before it expired is closed by the CLI, so a daemon started later never acts on it.
 */
export type RequestKind = 'clear_lockout' | 'enrol_card';

export interface EnrolPayload {
  holderId: number;
}

export interface ClearLockoutPayload {
  subject: 'reader' | 'credential';
  credentialId?: number;
  holderId?: number;
}

export interface PendingRequest<P> {
  id: number;
  payload: P;
  actor: Actor;
}

export type Outcome = Record<string, unknown>;

export function insertRequest(
  db: Database,
  kind: RequestKind,
  payload: EnrolPayload | ClearLockoutPayload,
  actor: Actor,
  now: Date,
  ttlMs: number,
): { id: number; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const id = Number(
    db
      .prepare(
        `INSERT INTO custodian_requests (kind, payload, actor, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(kind, JSON.stringify(payload), actor.account, now.toISOString(), expiresAt.toISOString())
      .lastInsertRowid,
  );
  return { id, expiresAt };
}

/** The oldest pending, unexpired requests of a kind. */
export function pendingRequests<P>(
  db: Database,
  kind: RequestKind,
  now: Date,
): PendingRequest<P>[] {
  // Cached: the daemon asks at every tick whether a lockout is to be cleared.
  const rows = cachedStatement(
    db,
    `SELECT id, payload, actor FROM custodian_requests
      WHERE done_at IS NULL AND kind = ? AND expires_at > ? ORDER BY id`,
  ).all(kind, now.toISOString()) as Array<{ id: number; payload: string; actor: string }>;
  return rows.map((r) => ({
    id: r.id,
    payload: JSON.parse(r.payload) as P,
    actor: { kind: 'custodian', account: r.actor },
  }));
}

/**
 * Whether a request of this kind is pending and unexpired: the daemon asks at every badge
 * whether an enrolment waits for the card, inside the badge's transaction, so the answer
 * reads no payload (nothing to parse, nothing to fail on) and stops at the first row.
 */
export function requestWaiting(db: Database, kind: RequestKind, now: Date): boolean {
  const row = cachedStatement(
    db,
    `SELECT EXISTS (SELECT 1 FROM custodian_requests
       WHERE done_at IS NULL AND kind = ? AND expires_at > ?) AS waiting`,
  ).get(kind, now.toISOString()) as { waiting: number };
  return row.waiting === 1;
}

/**
 * Marks a pending request done with its outcome; false when it was no longer pending (the CLI
 * gave up on it, or another process took it), and then the caller must not act on it.
 */
export function completeRequest(db: Database, id: number, outcome: Outcome, now: Date): boolean {
  return (
    cachedStatement(
      db,
      `UPDATE custodian_requests SET done_at = ?, outcome = ? WHERE id = ? AND done_at IS NULL`,
    ).run(now.toISOString(), JSON.stringify(outcome), id).changes === 1
  );
}

export function requestOutcome(db: Database, id: number): Outcome | null {
  const row = db.prepare('SELECT outcome FROM custodian_requests WHERE id = ?').get(id) as
    { outcome: string | null } | undefined;
  return row?.outcome ? (JSON.parse(row.outcome) as Outcome) : null;
}

/**
 * Waits for the daemon's outcome until the request expires; then closes it as expired so no
 * daemon acts on it later, and returns null. If the daemon took it at that very moment, its
 * outcome wins.
 */
export async function awaitOutcome(
  db: Database,
  id: number,
  expiresAt: Date,
  pollMs = 100,
): Promise<Outcome | null> {
  for (;;) {
    const outcome = requestOutcome(db, id);
    if (outcome) return outcome;
    const now = new Date();
    if (now >= expiresAt) {
      if (completeRequest(db, id, { expired: true }, now)) return null;
      return requestOutcome(db, id);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
