import type { Database, Statement } from 'better-sqlite3';
import type { CabinetDirectory, CardFacts } from '../domain/cabinet-directory.js';
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
import { CARD_FACTS_SQL, toCardFacts, type CardFactsRow } from './card-facts.js';
import {
  CREDENTIAL_COLUMNS,
  LOAN_COLUMNS,
  toCredential,
  toHolder,
  toLoan,
  VALIDITY,
  withValidity,
  type CredentialRow,
  type HolderRow,
  type LoanRow,
  type ValidityRow,
} from './directory-rows.js';
import { SqlitePolicyLookups } from './policy-lookups.js';

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
    | 'cardFacts'
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
      credential: db.prepare(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE card = ?`),
      cardFacts: db.prepare(CARD_FACTS_SQL),
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

  cardFacts(card: string): CardFacts | undefined {
    const row = this.stmts.cardFacts.get(card) as CardFactsRow | undefined;
    return row && toCardFacts(row);
  }

  credentialByCard(card: string): Credential | undefined {
    const row = this.stmts.credential.get(card) as CredentialRow | undefined;
    return row && toCredential(row);
  }

  holder(id: number): Holder | undefined {
    const row = this.stmts.holder.get(id) as HolderRow | undefined;
    return row && toHolder(row);
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

function toKey(row: KeyRow | undefined): Key | undefined {
  return row && { ...row, returnPolicy: row.returnPolicy ?? 'home' };
}
