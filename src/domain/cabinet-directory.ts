import type { TierRules } from './key-tiers.js';
import type { ValidityEnd } from './policy/expiries.js';
import type { Credential, Holder, Key, Loan, PolicyGrant, SlotPermission } from './model.js';

/**
 * The read-only facts the cabinet flow looks up while it decides. The store implements it over
 * SQLite; tests implement it over arrays. Reads are synchronous so a step stays one atomic,
 * deterministic function of (state, input, directory).
 */
export interface CabinetDirectory {
  credentialByCard(card: string): Credential | undefined;
  holder(id: number): Holder | undefined;
  permissionsOf(holderId: number): SlotPermission[];
  openLoansOf(holderId: number): Loan[];
  keyByTag(tag: string): Key | undefined;
  keyByHomeSlot(slot: number): Key | undefined;
  openLoanOf(keyId: number): Loan | undefined;
  // --- Access policy (issue 4) ---
  /** The access groups the holder belongs to. */
  groupsOf(holderId: number): number[];
  /** Grants naming the holder or one of their groups, key sets resolved to home slots. */
  grantsOf(holderId: number): PolicyGrant[];
  /** Home slots of keys marked lost, stolen or retired: never released. */
  unreleasableSlots(): number[];
  // --- Loans, tiers and expiries (issue 4) ---
  keyById(id: number): Key | undefined;
  /** Whether a reason code typed at the keypad is one of the site's (any code when none is set). */
  reasonCodeAccepted(code: string): boolean;
  /** Every open loan, with its due time: the overdue check reads them at each tick. */
  openLoans(): Loan[];
  /** Loan limits (minutes) of the access groups the holder belongs to. */
  groupLoanLimits(holderId: number): number[];
  /** What each key tier requires (tier_rules); a tier without a rule requires nothing. */
  tierRules(): TierRules;
  /** Validity ends in [fromMs, toMs], possibly a little more: see expiriesBetween. */
  validityEndsBetween(fromMs: number, toMs: number): ValidityEnd[];
}
