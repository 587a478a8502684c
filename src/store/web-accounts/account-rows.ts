import type { Database } from '../database.js';

/** The console's roles, least first (the same words as the custodians' roles). */
export type WebRole = 'viewer' | 'custodian' | 'admin';

export interface WebAccountRow {
  account: string;
  role: WebRole;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string;
}

interface RawRow {
  account: string;
  role: WebRole;
  passwordHash: string;
  disabled: number;
  createdAt: string;
  passwordChangedAt: string;
}

// failed_sign_ins and locked_until (migration web/001) are no longer read: wrong passwords are
// counted per address in web_sign_in_failures (migration web/002, sign-in-failure-rows.ts).
const COLUMNS = `account, role, password_hash AS passwordHash, disabled,
  created_at AS createdAt, password_changed_at AS passwordChangedAt`;

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

  setDisabled(account: string, disabled: boolean): void {
    this.db
      .prepare('UPDATE web_accounts SET disabled = ? WHERE account = ?')
      .run(disabled ? 1 : 0, account);
  }

  setPassword(account: string, passwordHash: string, at: string): void {
    this.db
      .prepare(
        'UPDATE web_accounts SET password_hash = ?, password_changed_at = ? WHERE account = ?',
      )
      .run(passwordHash, at, account);
  }

  /** Same hash, new cost: not a password change, so sessions and the change date stay. */
  rehash(account: string, passwordHash: string): void {
    this.db
      .prepare('UPDATE web_accounts SET password_hash = ? WHERE account = ?')
      .run(passwordHash, account);
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
