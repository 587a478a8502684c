import type { Database } from '../database.js';

/** The console's roles, least first (the same words as the custodians' roles). */
export type WebRole = 'viewer' | 'custodian' | 'admin';

export interface WebAccountRow {
  account: string;
  role: WebRole;
  passwordHash: string;
  disabled: boolean;
  failedSignIns: number;
  /** Milliseconds since the epoch; null: not locked. */
  lockedUntil: number | null;
  createdAt: string;
  passwordChangedAt: string;
}

interface RawRow {
  account: string;
  role: WebRole;
  passwordHash: string;
  disabled: number;
  failedSignIns: number;
  lockedUntil: number | null;
  createdAt: string;
  passwordChangedAt: string;
}

const COLUMNS = `account, role, password_hash AS passwordHash, disabled,
  failed_sign_ins AS failedSignIns, locked_until AS lockedUntil, created_at AS createdAt,
  password_changed_at AS passwordChangedAt`;

const toRow = (raw: RawRow): WebAccountRow => ({ ...raw, disabled: raw.disabled === 1 });

/** The SQL of the web_accounts table; what may change and who may do it is decided above it. */
export class WebAccountRows {
  constructor(private readonly db: Database) {}

  /** The account by name, whatever its case; undefined when there is none. */
  find(account: string): WebAccountRow | undefined {
    const raw = this.db
      .prepare(`SELECT ${COLUMNS} FROM web_accounts WHERE account = ?`)
      .get(account) as RawRow | undefined;
    return raw && toRow(raw);
  }

  list(): WebAccountRow[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM web_accounts ORDER BY account`)
      .all() as RawRow[];
    return rows.map(toRow);
  }

  insert(row: { account: string; role: WebRole; passwordHash: string; at: string }): void {
    this.db
      .prepare(
        `INSERT INTO web_accounts (account, role, password_hash, created_at, password_changed_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(row.account, row.role, row.passwordHash, row.at, row.at);
  }

  setRole(account: string, role: WebRole): void {
    this.db.prepare('UPDATE web_accounts SET role = ? WHERE account = ?').run(role, account);
  }

  /** Enabling also ends a lockout: the administrator has decided the account may sign in. */
  setDisabled(account: string, disabled: boolean): void {
    this.db
      .prepare(
        `UPDATE web_accounts SET disabled = ?,
           failed_sign_ins = CASE WHEN ? THEN failed_sign_ins ELSE 0 END,
           locked_until = CASE WHEN ? THEN locked_until ELSE NULL END
         WHERE account = ?`,
      )
      .run(disabled ? 1 : 0, disabled ? 1 : 0, disabled ? 1 : 0, account);
  }

  /** A new password also ends a lockout and forgets the wrong ones before it. */
  setPassword(account: string, passwordHash: string, at: string): void {
    this.db
      .prepare(
        `UPDATE web_accounts SET password_hash = ?, password_changed_at = ?,
           failed_sign_ins = 0, locked_until = NULL WHERE account = ?`,
      )
      .run(passwordHash, at, account);
  }

  /** Same hash, new cost: not a password change, so sessions and the change date stay. */
  rehash(account: string, passwordHash: string): void {
    this.db
      .prepare('UPDATE web_accounts SET password_hash = ? WHERE account = ?')
      .run(passwordHash, account);
  }

  /** One more wrong password in a row; returns the count now. */
  addFailure(account: string): number {
    const row = this.db
      .prepare(
        `UPDATE web_accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE account = ?
         RETURNING failed_sign_ins AS n`,
      )
      .get(account) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  lock(account: string, until: number): void {
    this.db
      .prepare('UPDATE web_accounts SET failed_sign_ins = 0, locked_until = ? WHERE account = ?')
      .run(until, account);
  }

  clearFailures(account: string): void {
    this.db
      .prepare(
        `UPDATE web_accounts SET failed_sign_ins = 0, locked_until = NULL
         WHERE account = ? AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)`,
      )
      .run(account);
  }

  /** Enabled administrators other than `account`: the last one may not be demoted or disabled. */
  otherEnabledAdmins(account: string): number {
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM web_accounts
         WHERE role = 'admin' AND disabled = 0 AND account <> ?`,
      )
      .get(account) as { n: number };
    return row.n;
  }
}
