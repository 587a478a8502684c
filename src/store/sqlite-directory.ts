import type { Database, Statement } from 'better-sqlite3';
import type { CabinetDirectory } from '../domain/cabinet-directory.js';
import type {
  Credential,
  Holder,
  Key,
  KeyTier,
  Loan,
  PolicyGrant,
  SlotPermission,
} from '../domain/model.js';
import type { TierRule, TierRules } from '../domain/key-tiers.js';
import type { ValidityEnd } from '../domain/policy/expiries.js';
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
  due_at: string | null;
  overdue_at: string | null;
}

const LOAN_COLUMNS = 'key_id, holder_id, slot, out_at, due_at, overdue_at';

interface KeyRow {
  id: number;
  tag: string;
  label: string;
  homeSlot: number;
  state: Key['state'];
  tier: KeyTier | null;
  maxLoanMinutes: number | null;
  curfewMinute: number | null;
  returnPolicy: Key['returnPolicy'];
}

interface TierRuleRow {
  tier: KeyTier;
  authorisers: 0 | 1 | 2;
  authoriserGroupId: number | null;
  pin: number;
  maxLoanMinutes: number | null;
  reasonCode: number;
}

/**
 * A holder's permissions, every one a badge decides on. The index is named: without statistics
 * the planner takes the UNIQUE (holder_id, slot) one and then reads each row from the table, a
 * page each; this one holds every column read (migration 017).
 */
export const PERMISSIONS_OF_HOLDER_SQL = `SELECT holder_id AS holderId, slot, ${VALIDITY},
    max_loan_minutes AS maxLoanMinutes
  FROM permissions INDEXED BY permissions_of_holder WHERE holder_id = ?`;

const NO_RULE: TierRule = { authorisers: 0, pin: false, reasonCode: false };

/** The cabinet flow's lookups over SQLite: one indexed query each, fast at 100,000 holders. */
export class SqliteDirectory implements CabinetDirectory {
  private readonly stmts: Record<
    | 'credential'
    | 'holder'
    | 'permissions'
    | 'holderLoans'
    | 'keyByTag'
    | 'keyBySlot'
    | 'keyLoan'
    | 'keyById'
    | 'reasonCodes'
    | 'reasonCode'
    | 'openLoans'
    | 'groupLimits'
    | 'tierRules',
    Statement
  >;
  private readonly policy: SqlitePolicyLookups;

  constructor(db: Database) {
    this.policy = new SqlitePolicyLookups(db);
    const keyColumns = `id, tag, label, home_slot AS homeSlot, state, tier,
      max_loan_minutes AS maxLoanMinutes, curfew_minute AS curfewMinute,
      return_policy AS returnPolicy`;
    this.stmts = {
      credential: db.prepare(
        `SELECT id, holder_id AS holderId, card, enabled, ${VALIDITY}, pin_required AS pinRequired,
           pin_hash IS NOT NULL AS hasPin,
           coalesce((SELECT wrong_pins FROM pin_failures WHERE credential_id = credentials.id), 0)
             AS wrongPins
           FROM credentials WHERE card = ?`,
      ),
      holder: db.prepare(
        `SELECT id, name, enabled, ${VALIDITY}, max_keys_out AS maxKeysOut FROM holders WHERE id = ?`,
      ),
      permissions: db.prepare(PERMISSIONS_OF_HOLDER_SQL),
      holderLoans: db.prepare(
        `SELECT ${LOAN_COLUMNS} FROM loans WHERE holder_id = ? AND returned_at IS NULL`,
      ),
      keyByTag: db.prepare(`SELECT ${keyColumns} FROM keys WHERE tag = ?`),
      keyBySlot: db.prepare(`SELECT ${keyColumns} FROM keys WHERE home_slot = ?`),
      keyLoan: db.prepare(
        `SELECT ${LOAN_COLUMNS} FROM loans WHERE key_id = ? AND returned_at IS NULL`,
      ),
      keyById: db.prepare(`SELECT ${keyColumns} FROM keys WHERE id = ?`),
      reasonCodes: db.prepare('SELECT EXISTS (SELECT 1 FROM reason_codes)').pluck(),
      reasonCode: db.prepare('SELECT EXISTS (SELECT 1 FROM reason_codes WHERE code = ?)').pluck(),
      openLoans: db.prepare(
        `SELECT ${LOAN_COLUMNS} FROM loans WHERE returned_at IS NULL ORDER BY key_id`,
      ),
      groupLimits: db
        .prepare(
          `SELECT g.max_loan_minutes FROM group_members m JOIN access_groups g ON g.id = m.group_id
            WHERE m.holder_id = ? AND g.max_loan_minutes IS NOT NULL`,
        )
        .pluck(),
      tierRules: db.prepare(
        `SELECT tier, authorisers, authoriser_group_id AS authoriserGroupId, pin,
           max_loan_minutes AS maxLoanMinutes, reason_code AS reasonCode FROM tier_rules`,
      ),
    };
  }

  credentialByCard(card: string): Credential | undefined {
    const row = this.stmts.credential.get(card) as
      | (Omit<Credential, 'enabled' | 'pinRequired' | 'hasPin'> & {
          enabled: number;
          pinRequired: number;
          hasPin: number;
        } & ValidityRow)
      | undefined;
    return (
      row && {
        ...withValidity(row),
        enabled: row.enabled === 1,
        pinRequired: row.pinRequired === 1,
        hasPin: row.hasPin === 1,
      }
    );
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
    return toKey(this.stmts.keyByTag.get(tag) as KeyRow | undefined);
  }

  keyByHomeSlot(slot: number): Key | undefined {
    return toKey(this.stmts.keyBySlot.get(slot) as KeyRow | undefined);
  }

  keyById(id: number): Key | undefined {
    return toKey(this.stmts.keyById.get(id) as KeyRow | undefined);
  }

  reasonCodeAccepted(code: string): boolean {
    return this.stmts.reasonCodes.get() === 0 || this.stmts.reasonCode.get(code) === 1;
  }

  openLoans(): Loan[] {
    return (this.stmts.openLoans.all() as LoanRow[]).map(toLoan);
  }

  groupLoanLimits(holderId: number): number[] {
    return this.stmts.groupLimits.all(holderId) as number[];
  }

  tierRules(): TierRules {
    const rules: Record<KeyTier, TierRule> = {
      grand_master: NO_RULE,
      master: NO_RULE,
      sub_master: NO_RULE,
      change: NO_RULE,
      none: NO_RULE,
    };
    for (const row of this.stmts.tierRules.all() as TierRuleRow[]) {
      rules[row.tier] = {
        authorisers: row.authorisers,
        ...(row.authoriserGroupId === null ? {} : { authoriserGroupId: row.authoriserGroupId }),
        pin: row.pin === 1,
        ...(row.maxLoanMinutes === null ? {} : { maxLoanMinutes: row.maxLoanMinutes }),
        reasonCode: row.reasonCode === 1,
      };
    }
    return rules;
  }

  validityEndsBetween(fromMs: number, toMs: number): ValidityEnd[] {
    return this.policy.validityEndsBetween(fromMs, toMs);
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
    dueAtMs: row.due_at === null ? null : Date.parse(row.due_at),
    overdueAnnounced: row.overdue_at !== null,
  };
}

function toKey(row: KeyRow | undefined): Key | undefined {
  return row && { ...row, returnPolicy: row.returnPolicy ?? 'home' };
}

/** Replaces the validity columns of a row with the domain's epoch-ms bounds. */
function withValidity<T extends ValidityRow>(
  row: T,
): Omit<T, keyof ValidityRow> & { validFromMs: number | null; validUntilMs: number | null } {
  const { validFrom, validUntil, ...rest } = row;
  return { ...rest, validFromMs: toMs(validFrom), validUntilMs: toMs(validUntil) };
}
