import type { CabinetDirectory, CardFacts } from '../cabinet-directory.js';
import type { TierRules } from '../key-tiers.js';
import type { Credential, Holder, Key, Loan, PolicyGrant, SlotPermission } from '../model.js';
import type { ValidityEnd } from '../policy/expiries.js';

/**
 * The directory as one step sees it: the key table's reads, the tier rules and each card's
 * facts are remembered for the step, the rest is passed through.
 *
 * Why: a badge's step asks for the key in each occupied slot several times (which slots are
 * releasable, their tiers, the release itself): 15 reads of a 12-row table on the 12-slot
 * cabinet, each a SQLite query on the badge's path. Remembering them for one step is always
 * right, because the step reads one snapshot (the runner holds its transaction from before
 * the step to after its records) and writes nothing until it has decided. Nothing is kept
 * from one step to the next, so no later change can be missed.
 *
 * A card is read with its holder's facts in one go (`cardFacts`): the holder, permissions,
 * groups and open loans a badge then asks for are answered from that read, for that holder.
 */
export class StepLookups implements CabinetDirectory {
  private readonly keysByTag = new Map<string, Key | undefined>();
  private readonly keysBySlot = new Map<number, Key | undefined>();
  private readonly keysById = new Map<number, Key | undefined>();
  private rules: TierRules | undefined;
  private readonly cards = new Map<string, CardFacts | undefined>();

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

  cardFacts(card: string): CardFacts | undefined {
    return remembered(this.cards, card, () => this.directory.cardFacts(card));
  }

  credentialByCard(card: string): Credential | undefined {
    return this.cardFacts(card)?.credential;
  }

  holder(id: number): Holder | undefined {
    const facts = this.factsOfHolder(id);
    return facts ? facts.holder : this.directory.holder(id);
  }

  permissionsOf(holderId: number): SlotPermission[] {
    return this.factsOfHolder(holderId)?.permissions ?? this.directory.permissionsOf(holderId);
  }

  openLoansOf(holderId: number): Loan[] {
    return this.factsOfHolder(holderId)?.openLoans ?? this.directory.openLoansOf(holderId);
  }

  openLoanOf(keyId: number): Loan | undefined {
    return this.directory.openLoanOf(keyId);
  }

  groupsOf(holderId: number): number[] {
    return this.factsOfHolder(holderId)?.groupIds ?? this.directory.groupsOf(holderId);
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

  /** The facts read with a card of this holder's earlier in the step, if any. */
  private factsOfHolder(holderId: number): CardFacts | undefined {
    for (const facts of this.cards.values()) {
      if (facts?.credential.holderId === holderId) return facts;
    }
    return undefined;
  }
}

/** The value remembered under `key` (an absent key, `undefined`, is remembered too). */
function remembered<K, V>(memo: Map<K, V>, key: K, read: () => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  const value = read();
  memo.set(key, value);
  return value;
}
