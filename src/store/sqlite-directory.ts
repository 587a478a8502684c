import type { Database, Statement } from 'better-sqlite3';
import type { CabinetDirectory } from '../domain/cabinet-directory.js';
import type {
  Credential,
  Holder,
  Key,
  Loan,
  PolicyGrant,
  SlotPermission,
} from '../domain/model.js';
import { SqlitePolicyLookups, toMs } from './policy-lookups.js';

/** Validity columns as read: ISO 8601 UTC text, NULL for no bound. */
interface ValidityRow {
  validFrom: string | null;
  validUntil: string | null;
}

const VALIDITY = 'valid_from AS validFrom, valid_until AS validUntil';

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
  private readonly policy: SqlitePolicyLookups;

  constructor(db: Database) {
    this.policy = new SqlitePolicyLookups(db);
    const keyColumns = 'id, tag, label, home_slot AS homeSlot, state';
    this.stmts = {
      credential: db.prepare(
        `SELECT id, holder_id AS holderId, card, enabled, ${VALIDITY} FROM credentials WHERE card = ?`,
      ),
      holder: db.prepare(`SELECT id, name, enabled, ${VALIDITY} FROM holders WHERE id = ?`),
      permissions: db.prepare(
        `SELECT holder_id AS holderId, slot, ${VALIDITY} FROM permissions WHERE holder_id = ?`,
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
      (Omit<Credential, 'enabled'> & { enabled: number } & ValidityRow) | undefined;
    return row && { ...withValidity(row), enabled: row.enabled === 1 };
  }

  holder(id: number): Holder | undefined {
    const row = this.stmts.holder.get(id) as
      (Omit<Holder, 'enabled'> & { enabled: number } & ValidityRow) | undefined;
    return row && { ...withValidity(row), enabled: row.enabled === 1 };
  }

  permissionsOf(holderId: number): SlotPermission[] {
    const rows = this.stmts.permissions.all(holderId) as Array<SlotPermission & ValidityRow>;
    return rows.map(withValidity);
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

  groupsOf(holderId: number): number[] {
    return this.policy.groupsOf(holderId);
  }

  grantsOf(holderId: number): PolicyGrant[] {
    return this.policy.grantsOf(holderId);
  }

  unreleasableSlots(): number[] {
    return this.policy.unreleasableSlots();
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

/** Replaces the validity columns of a row with the domain's epoch-ms bounds. */
function withValidity<T extends ValidityRow>(
  row: T,
): Omit<T, keyof ValidityRow> & { validFromMs: number | null; validUntilMs: number | null } {
  const { validFrom, validUntil, ...rest } = row;
  return { ...rest, validFromMs: toMs(validFrom), validUntilMs: toMs(validUntil) };
}
