import type { Database } from 'better-sqlite3';
import type { LockoutRef } from '../../domain/events.js';

export interface ActiveLockout extends LockoutRef {
  level: number;
  since: string;
  /** When it ends by itself (wall time of the start plus its duration). */
  until: string;
}

const subjectKey = (ref: LockoutRef) =>
  ref.subject === 'reader' ? 'reader' : `credential:${ref.credentialId}`;

/**
 * The lockouts in force, derived from the event log: a `lockout.started` with no later
 * `lockout.ended` or `lockout.cleared` for the same subject, not past its duration. A restart
 * does not end them: the daemon restores them from here at start (src/store/lockout-restore.ts).
 */
export function activeLockouts(db: Database, now: Date): ActiveLockout[] {
  const rows = db
    .prepare(
      `SELECT type, time, payload FROM events
        WHERE type IN ('lockout.started', 'lockout.ended', 'lockout.cleared')
        ORDER BY seq`,
    )
    .all() as Array<{ type: string; time: string; payload: string }>;
  const active = new Map<string, ActiveLockout>();
  for (const row of rows) {
    const data = (JSON.parse(row.payload) as { data: LockoutRef & Record<string, unknown> }).data;
    const key = subjectKey(data);
    if (row.type !== 'lockout.started') {
      active.delete(key);
      continue;
    }
    const seconds = Number(data.durationSeconds);
    const ref: LockoutRef = { subject: data.subject };
    if (data.credentialId !== undefined) ref.credentialId = data.credentialId;
    if (data.holderId !== undefined) ref.holderId = data.holderId;
    active.set(key, {
      ...ref,
      level: Number(data.level),
      since: row.time,
      until: new Date(Date.parse(row.time) + seconds * 1000).toISOString(),
    });
  }
  return [...active.values()].filter((l) => Date.parse(l.until) > now.getTime());
}
