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
