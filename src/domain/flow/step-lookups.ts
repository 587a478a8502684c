import type { CabinetDirectory } from '../cabinet-directory.js';
import type { TierRules } from '../key-tiers.js';
import type { Credential, Holder, Key, Loan, PolicyGrant, SlotPermission } from '../model.js';
import type { ValidityEnd } from '../policy/expiries.js';

/**
 * The directory as one step sees it: the key table's reads and the tier rules are remembered
 * for the step, the rest is passed through.
 *
 * Why: a badge's step asks for the key in each occupied slot several times (which slots are
 * releasable, their tiers, the release itself): 15 reads of a 12-row table on the 12-slot
 * cabinet, each a SQLite query on the badge's path. Remembering them for one step is always
 * right, because the step reads one snapshot (the runner holds its transaction from before
 * the step to after its records) and writes nothing until it has decided. Nothing is kept
 * from one step to the next, so no later change can be missed.
 */
export class StepLookups implements CabinetDirectory {
  private readonly keysByTag = new Map<string, Key | undefined>();
  private readonly keysBySlot = new Map<number, Key | undefined>();
  private readonly keysById = new Map<number, Key | undefined>();
  private rules: TierRules | undefined;

  constructor(private readonly directory: CabinetDirectory) {}

  keyByTag(tag: string): Key | undefined {
    return remembered(this.keysByTag, tag, () => this.directory.keyByTag(tag));
  }

  keyByHomeSlot(slot: number): Key | undefined {
    return remembered(this.keysBySlot, slot, () => this.directory.keyByHomeSlot(slot));
  }

  keyById(id: number): Key | undefined {
    return remembered(this.keysById, id, () => this.directory.keyById(id));
  }

  tierRules(): TierRules {
    this.rules ??= this.directory.tierRules();
    return this.rules;
  }

  credentialByCard(card: string): Credential | undefined {
    return this.directory.credentialByCard(card);
  }

  holder(id: number): Holder | undefined {
    return this.directory.holder(id);
  }

  permissionsOf(holderId: number): SlotPermission[] {
    return this.directory.permissionsOf(holderId);
  }

  openLoansOf(holderId: number): Loan[] {
    return this.directory.openLoansOf(holderId);
  }

  openLoanOf(keyId: number): Loan | undefined {
    return this.directory.openLoanOf(keyId);
  }

  groupsOf(holderId: number): number[] {
    return this.directory.groupsOf(holderId);
  }

  grantsOf(holderId: number): PolicyGrant[] {
    return this.directory.grantsOf(holderId);
  }

  unreleasableSlots(): number[] {
    return this.directory.unreleasableSlots();
  }

  reasonCodeAccepted(code: string): boolean {
    return this.directory.reasonCodeAccepted(code);
  }

  openLoans(): Loan[] {
    return this.directory.openLoans();
  }

  groupLoanLimits(holderId: number): number[] {
    return this.directory.groupLoanLimits(holderId);
  }

  validityEndsBetween(fromMs: number, toMs: number): ValidityEnd[] {
    return this.directory.validityEndsBetween(fromMs, toMs);
  }
}

/** The value remembered under `key` (an absent key, `undefined`, is remembered too). */
function remembered<K, V>(memo: Map<K, V>, key: K, read: () => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  const value = read();
  memo.set(key, value);
  return value;
}
