import type { Database } from 'better-sqlite3';
import type { Lockdown } from '../domain/cabinet-state.js';

/**
 * The lockdown in force, kept in SQLite (migrations/004_commands.sql) so a restart does not
 * lift it: a lockdown that silently ended at a reboot would be a way around it.
 */
export function loadLockdown(db: Database): Lockdown | null {
  const row = db
    .prepare('SELECT command_id AS commandId, allow_holders AS allowHolders FROM lockdown_state')
    .get() as { commandId: string; allowHolders: string } | undefined;
  if (!row) return null;
  return { commandId: row.commandId, allowHolders: JSON.parse(row.allowHolders) as number[] };
}

/** Writes what the cabinet flow decided; call in the transaction that records it. */
export function saveLockdown(db: Database, lockdown: Lockdown | null, nowMs: number): void {
  if (lockdown === null) {
    db.prepare('DELETE FROM lockdown_state').run();
    return;
  }
  db.prepare(
    `INSERT INTO lockdown_state (id, command_id, allow_holders, started_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET command_id = excluded.command_id,
       allow_holders = excluded.allow_holders, started_at = excluded.started_at`,
  ).run(lockdown.commandId, JSON.stringify(lockdown.allowHolders), new Date(nowMs).toISOString());
}
