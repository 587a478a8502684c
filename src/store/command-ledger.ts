import type { Database, Statement } from 'better-sqlite3';
import type { SignedCommand } from '../contract/signed-command.js';

/** How long an executed command's id is remembered after it expired (wall clock may step back). */
const REMEMBER_AFTER_EXPIRY_MS = 7 * 86_400_000;

/**
 * What the cabinet remembers of accepted commands (migrations/004_commands.sql): the last
 * counter per signing key, and the ids of executed commands. The counter alone stops every
 * replay; the ids only tell a replay (`replayed`) from a command that arrived late behind a
 * newer one (`out_of_order`), so they may be forgotten once the command has long expired, when
 * its expiry refuses it anyway.
 */
export class CommandLedger {
  private readonly stmts: Record<
    'last' | 'executed' | 'advance' | 'remember' | 'forget',
    Statement
  >;

  constructor(db: Database) {
    this.stmts = {
      last: db.prepare('SELECT counter FROM command_counters WHERE key_id = ?').pluck(),
      executed: db.prepare('SELECT 1 FROM executed_commands WHERE id = ?').pluck(),
      // The WHERE makes a counter that does not increase change nothing: accept() then throws.
      advance: db.prepare(
        `INSERT INTO command_counters (key_id, counter, command_id, accepted_at)
         VALUES (@keyId, @counter, @id, @at)
         ON CONFLICT (key_id) DO UPDATE
           SET counter = excluded.counter, command_id = excluded.command_id,
               accepted_at = excluded.accepted_at
         WHERE excluded.counter > command_counters.counter`,
      ),
      remember: db.prepare(
        `INSERT INTO executed_commands (id, key_id, counter, name, expires_ms, accepted_at)
         VALUES (@id, @keyId, @counter, @name, @expiresMs, @at)`,
      ),
      forget: db.prepare('DELETE FROM executed_commands WHERE expires_ms < ?'),
    };
  }

  /** The last counter accepted from this key; 0 when none was. */
  lastCounter(keyId: string): number {
    return (this.stmts.last.get(keyId) as number | undefined) ?? 0;
  }

  wasExecuted(commandId: string): boolean {
    return this.stmts.executed.get(commandId) !== undefined;
  }

  /**
   * Advances the key's counter and remembers the id. Call inside the transaction that records
   * `command.accepted`; throws (rolling it back) if the counter does not increase or the id is
   * known, which the checks before it make impossible unless another writer raced them.
   */
  accept(command: SignedCommand, nowMs: number): void {
    const at = new Date(nowMs).toISOString();
    const row = { id: command.id, keyId: command.keyId, counter: command.counter, at };
    if (this.stmts.advance.run(row).changes !== 1) {
      throw new Error(`counter ${command.counter} of key ${command.keyId} does not increase`);
    }
    this.stmts.remember.run({
      ...row,
      name: command.name,
      expiresMs: Date.parse(command.expiresAt),
    });
    this.stmts.forget.run(nowMs - REMEMBER_AFTER_EXPIRY_MS);
  }
}
