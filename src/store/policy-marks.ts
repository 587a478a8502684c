import type { Database } from 'better-sqlite3';

/**
 * Where the recording of validity ends resumes after a restart (migration 006). The projection
 * of `validity.expired` moves the mark forward; a database that has none yet starts from now,
 * so a first start does not report every end in history.
 */
export function loadExpiriesMark(db: Database, nowMs: number): number {
  const stored = db
    .prepare('SELECT expiries_until FROM policy_marks WHERE id = 1')
    .pluck()
    .get() as string | null | undefined;
  if (stored != null) return Date.parse(stored);
  const now = new Date(nowMs).toISOString();
  db.prepare('UPDATE policy_marks SET expiries_until = ? WHERE id = 1').run(now);
  return nowMs;
}

/** A credential's PIN hashes, for the shell's slow check; undefined when it has no PIN. */
export function pinHashesOf(
  db: Database,
  credentialId: number,
): { pin: string; duress: string | null } | undefined {
  const row = db
    .prepare('SELECT pin_hash AS pin, duress_pin_hash AS duress FROM credentials WHERE id = ?')
    .get(credentialId) as { pin: string | null; duress: string | null } | undefined;
  return row?.pin == null ? undefined : { pin: row.pin, duress: row.duress };
}
