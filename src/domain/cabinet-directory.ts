import type { TierRules } from './key-tiers.js';
import type { ValidityEnd } from './policy/expiries.js';
import type { Credential, Holder, Key, Loan, PolicyGrant, SlotPermission } from './model.js';

/** A card's credential and its holder's facts, as `cardFacts` reads them. */
export interface CardFacts {
  credential: Credential;
  /** Undefined when no holder has the credential's holder id. */
  holder: Holder | undefined;
  permissions: SlotPermission[];
  groupIds: number[];
  openLoans: Loan[];
}

/** `cardFacts` from the single lookups, for a directory with no cheaper way to read them. */
export function cardFactsFrom(
  directory: Omit<CabinetDirectory, 'cardFacts'>,
  card: string,
): CardFacts | undefined {
  const credential = directory.credentialByCard(card);
  if (!credential) return undefined;
  const { holderId } = credential;
  return {
    credential,
    holder: directory.holder(holderId),
    permissions: directory.permissionsOf(holderId),
    groupIds: directory.groupsOf(holderId),
    openLoans: directory.openLoansOf(holderId),
  };
}

/**
 * The read-only facts the cabinet flow looks up while it decides. The store implements it over
 * SQLite; tests implement it over arrays. Reads are synchronous so a step stays one atomic,
 * deterministic function of (state, input, directory).
 */
export interface CabinetDirectory {
  credentialByCard(card: string): Credential | undefined;
  /**
   * The card's credential and what `holder`, `permissionsOf`, `groupsOf` and `openLoansOf`
   * answer for its holder, read together: a badge asks for all of them, and over SQLite one
   * read costs less than five on the badge's path. Undefined for a card no credential has.
   */
  cardFacts(card: string): CardFacts | undefined;
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
