import type { Database } from 'better-sqlite3';
import type { Lockdown } from '../domain/cabinet-state.js';

/**
 * The lockdown in force, kept in SQLite (migrations/004_commands.sql) so a restart does not
 * lift it: a lockdown that silently ended at a reboot would be a way around it.
 */
export function loadLockdown(db: Database): Lockdown | null {
  const row = db
    .prepare(
      `SELECT command_id AS commandId, allow_holders AS allowHolders, allow_groups AS allowGroups
         FROM lockdown_state`,
    )
    .get() as { commandId: string; allowHolders: string; allowGroups: string } | undefined;
  if (!row) return null;
  const allowGroups = JSON.parse(row.allowGroups) as number[];
  return {
    commandId: row.commandId,
    allowHolders: JSON.parse(row.allowHolders) as number[],
    ...(allowGroups.length === 0 ? {} : { allowGroups }),
  };
}

/** Writes what the cabinet flow decided; call in the transaction that records it. */
export function saveLockdown(db: Database, lockdown: Lockdown | null, nowMs: number): void {
  if (lockdown === null) {
    db.prepare('DELETE FROM lockdown_state').run();
    return;
  }
  db.prepare(
    `INSERT INTO lockdown_state (id, command_id, allow_holders, allow_groups, started_at)
     VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET command_id = excluded.command_id,
       allow_holders = excluded.allow_holders, allow_groups = excluded.allow_groups,
       started_at = excluded.started_at`,
  ).run(
    lockdown.commandId,
    JSON.stringify(lockdown.allowHolders),
    JSON.stringify(lockdown.allowGroups ?? []),
    new Date(nowMs).toISOString(),
  );
}
