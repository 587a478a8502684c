import type { Database } from '../database.js';

/** How many wrong passwords, and when the last one was; lastAt null when none. */
export interface FailureTally {
  count: number;
  lastAt: number | null;
}

/**
 * The SQL of web_sign_in_failures and web_known_addresses (migration web/002): the wrong
 * passwords of real accounts, each with its client address, and the addresses each account
 * signed in from. What they mean (waits, locks, the ceiling) is decided above, in
 * src/app/web-accounts/guess-limits.ts.
 */
export class SignInFailureRows {
  constructor(private readonly db: Database) {}

  add(account: string, address: string, at: number): void {
    this.db
      .prepare('INSERT INTO web_sign_in_failures (account, address, at) VALUES (?, ?, ?)')
      .run(account, address, at);
  }

  /** The account's wrong passwords from `address` since `since`. */
  fromAddress(account: string, address: string, since: number): FailureTally {
    return this.db
      .prepare(
        `SELECT count(*) AS count, max(at) AS lastAt FROM web_sign_in_failures
         WHERE account = ? AND address = ? AND at >= ?`,
      )
      .get(account, address, since) as FailureTally;
  }

  /** The account's wrong passwords from every address since `since`. */
  forAccount(account: string, since: number): FailureTally {
    return this.db
      .prepare(
        `SELECT count(*) AS count, max(at) AS lastAt FROM web_sign_in_failures
         WHERE account = ? AND at >= ?`,
      )
      .get(account, since) as FailureTally;
  }

  /** Per address, the account's wrong passwords since `since` (for the account's state). */
  byAddress(account: string, since: number): (FailureTally & { address: string })[] {
    return this.db
      .prepare(
        `SELECT address, count(*) AS count, max(at) AS lastAt FROM web_sign_in_failures
         WHERE account = ? AND at >= ? GROUP BY address`,
      )
      .all(account, since) as (FailureTally & { address: string })[];
  }

  /** A right password from `address` forgets that address's wrong ones (not the others'). */
  clearAddress(account: string, address: string): void {
    this.db
      .prepare('DELETE FROM web_sign_in_failures WHERE account = ? AND address = ?')
      .run(account, address);
  }

  /** An administrator's unlock; returns how many wrong passwords were forgotten. */
  clearAccount(account: string): number {
    return this.db.prepare('DELETE FROM web_sign_in_failures WHERE account = ?').run(account)
      .changes;
  }

  /** Rows no rule looks at any more. */
  forgetBefore(before: number): void {
    this.db.prepare('DELETE FROM web_sign_in_failures WHERE at < ?').run(before);
  }

  rememberAddress(account: string, address: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO web_known_addresses (account, address, last_sign_in_at) VALUES (?, ?, ?)
         ON CONFLICT (account, address) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at`,
      )
      .run(account, address, at);
  }

  /** True when the account signed in from `address` at or after `since`. */
  knownAddress(account: string, address: string, since: number): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM web_known_addresses
           WHERE account = ? AND address = ? AND last_sign_in_at >= ?`,
        )
        .get(account, address, since) !== undefined
    );
  }

  forgetAddressesBefore(before: number): void {
    this.db.prepare('DELETE FROM web_known_addresses WHERE last_sign_in_at < ?').run(before);
  }
}
