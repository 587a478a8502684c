import type { Database } from '../database.js';
import type { WebRole } from './account-rows.js';

export interface WebSessionRow {
  account: string;
  role: WebRole;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * The SQL of web_sessions. A session is looked up by the SHA-256 of its token (the caller
 * hashes); only sessions of enabled accounts are found, so disabling an account ends them at
 * once even before they are deleted.
 */
export class WebSessionRows {
  constructor(private readonly db: Database) {}

  insert(row: { tokenHash: Buffer; account: string; csrfToken: string; at: number }): void {
    this.db
      .prepare(
        `INSERT INTO web_sessions (token_hash, account, csrf_token, created_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(row.tokenHash, row.account, row.csrfToken, row.at, row.at);
  }

  find(tokenHash: Buffer): WebSessionRow | undefined {
    return this.db
      .prepare(
        `SELECT s.account AS account, a.role AS role, s.csrf_token AS csrfToken,
                s.created_at AS createdAt, s.last_seen_at AS lastSeenAt
         FROM web_sessions s JOIN web_accounts a ON a.account = s.account
         WHERE s.token_hash = ? AND a.disabled = 0`,
      )
      .get(tokenHash) as WebSessionRow | undefined;
  }

  touch(tokenHash: Buffer, at: number): void {
    this.db
      .prepare('UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?')
      .run(at, tokenHash);
  }

  delete(tokenHash: Buffer): void {
    this.db.prepare('DELETE FROM web_sessions WHERE token_hash = ?').run(tokenHash);
  }

  /** Ends every session of the account; returns how many there were. */
  deleteForAccount(account: string): number {
    return this.db.prepare('DELETE FROM web_sessions WHERE account = ?').run(account).changes;
  }

  /** Forgets sessions past either expiry, so the table does not grow with abandoned ones. */
  deleteExpired(idleBefore: number, createdBefore: number): number {
    return this.db
      .prepare('DELETE FROM web_sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(idleBefore, createdBefore).changes;
  }
}
