import type { Database, Statement } from 'better-sqlite3';
import type { CabinetDirectory } from '../domain/cabinet-directory.js';
import type { Credential, Holder, Key, Loan, SlotPermission } from '../domain/model.js';

interface LoanRow {
  key_id: number;
  holder_id: number;
  slot: number;
  out_at: string;
}

/** The cabinet flow's lookups over SQLite: one indexed query each, fast at 100,000 holders. */
export class SqliteDirectory implements CabinetDirectory {
  private readonly stmts: Record<
    'credential' | 'holder' | 'permissions' | 'holderLoans' | 'keyByTag' | 'keyBySlot' | 'keyLoan',
    Statement
  >;

  constructor(db: Database) {
    const keyColumns = 'id, tag, label, home_slot AS homeSlot';
    this.stmts = {
      credential: db.prepare(
        'SELECT id, holder_id AS holderId, card, enabled FROM credentials WHERE card = ?',
      ),
      holder: db.prepare('SELECT id, name, enabled FROM holders WHERE id = ?'),
      permissions: db.prepare(
        'SELECT holder_id AS holderId, slot FROM permissions WHERE holder_id = ?',
      ),
      holderLoans: db.prepare(
        'SELECT key_id, holder_id, slot, out_at FROM loans WHERE holder_id = ? AND returned_at IS NULL',
      ),
      keyByTag: db.prepare(`SELECT ${keyColumns} FROM keys WHERE tag = ?`),
      keyBySlot: db.prepare(`SELECT ${keyColumns} FROM keys WHERE home_slot = ?`),
      keyLoan: db.prepare(
        'SELECT key_id, holder_id, slot, out_at FROM loans WHERE key_id = ? AND returned_at IS NULL',
      ),
    };
  }

  credentialByCard(card: string): Credential | undefined {
    const row = this.stmts.credential.get(card) as
      (Omit<Credential, 'enabled'> & { enabled: number }) | undefined;
    return row && { ...row, enabled: row.enabled === 1 };
  }

  holder(id: number): Holder | undefined {
    const row = this.stmts.holder.get(id) as
      (Omit<Holder, 'enabled'> & { enabled: number }) | undefined;
    return row && { ...row, enabled: row.enabled === 1 };
  }

  permissionsOf(holderId: number): SlotPermission[] {
    return this.stmts.permissions.all(holderId) as SlotPermission[];
  }

  openLoansOf(holderId: number): Loan[] {
    return (this.stmts.holderLoans.all(holderId) as LoanRow[]).map(toLoan);
  }

  keyByTag(tag: string): Key | undefined {
    return this.stmts.keyByTag.get(tag) as Key | undefined;
  }

  keyByHomeSlot(slot: number): Key | undefined {
    return this.stmts.keyBySlot.get(slot) as Key | undefined;
  }

  openLoanOf(keyId: number): Loan | undefined {
    const row = this.stmts.keyLoan.get(keyId) as LoanRow | undefined;
    return row && toLoan(row);
  }
}

function toLoan(row: LoanRow): Loan {
  return {
    keyId: row.key_id,
    holderId: row.holder_id,
    slot: row.slot,
    outAtMs: Date.parse(row.out_at),
  };
}
