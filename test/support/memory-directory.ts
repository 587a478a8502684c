import {
  cardFactsFrom,
  type CabinetDirectory,
  type CardFacts,
} from '../../src/domain/cabinet-directory.js';
import type {
  Credential,
  Holder,
  Key,
  Loan,
  PolicyGrant,
  SlotPermission,
} from '../../src/domain/model.js';
import type { TierRule, TierRules } from '../../src/domain/key-tiers.js';
import type { ValidityEnd } from '../../src/domain/policy/expiries.js';

const FREE: TierRule = { authorisers: 0, pin: false, reasonCode: false };
export const NO_TIER_RULES: TierRules = {
  grand_master: FREE,
  master: FREE,
  sub_master: FREE,
  change: FREE,
  none: FREE,
};

/** The directory over plain arrays, for domain tests. Loans are mutable so scenarios can evolve. */
export class MemoryDirectory implements CabinetDirectory {
  holders: Holder[] = [];
  credentials: Credential[] = [];
  permissions: SlotPermission[] = [];
  keys: Key[] = [];
  loans: Loan[] = [];
  /** Group memberships, as [holderId, groupId] pairs. */
  memberships: Array<[holderId: number, groupId: number]> = [];
  grants: PolicyGrant[] = [];
  /** Loan limits of groups, by group id. */
  groupLimits = new Map<number, number>();
  /** No tier requires anything unless a scenario says so. */
  tiers: TierRules = NO_TIER_RULES;
  validityEnds: ValidityEnd[] = [];

  cardFacts(card: string): CardFacts | undefined {
    return cardFactsFrom(this, card);
  }
  credentialByCard(card: string): Credential | undefined {
    return this.credentials.find((c) => c.card === card);
  }
  holder(id: number): Holder | undefined {
    return this.holders.find((h) => h.id === id);
  }
  permissionsOf(holderId: number): SlotPermission[] {
    return this.permissions.filter((p) => p.holderId === holderId);
  }
  openLoansOf(holderId: number): Loan[] {
    return this.loans.filter((l) => l.holderId === holderId);
  }
  keyByTag(tag: string): Key | undefined {
    return this.keys.find((k) => k.tag === tag);
  }
  keyByHomeSlot(slot: number): Key | undefined {
    return this.keys.find((k) => k.homeSlot === slot);
  }
  openLoanOf(keyId: number): Loan | undefined {
    return this.loans.find((l) => l.keyId === keyId);
  }
  groupsOf(holderId: number): number[] {
    return this.memberships.filter(([h]) => h === holderId).map(([, g]) => g);
  }
  grantsOf(holderId: number): PolicyGrant[] {
    const groups = this.groupsOf(holderId);
    return this.grants.filter((g) =>
      g.subject.kind === 'holder'
        ? g.subject.holderId === holderId
        : groups.includes(g.subject.groupId),
    );
  }
  /** The site's reason codes; empty: any code is accepted. */
  reasonCodes: string[] = [];
  keyById(id: number): Key | undefined {
    return this.keys.find((k) => k.id === id);
  }
  reasonCodeAccepted(code: string): boolean {
    return this.reasonCodes.length === 0 || this.reasonCodes.includes(code);
  }
  openLoans(): Loan[] {
    return [...this.loans];
  }
  groupLoanLimits(holderId: number): number[] {
    return this.groupsOf(holderId).flatMap((g) => {
      const limit = this.groupLimits.get(g);
      return limit === undefined ? [] : [limit];
    });
  }
  tierRules(): TierRules {
    return this.tiers;
  }
  validityEndsBetween(fromMs: number, toMs: number): ValidityEnd[] {
    return this.validityEnds.filter((e) => e.untilMs >= fromMs && e.untilMs <= toMs);
  }
  unreleasableSlots(): number[] {
    return this.keys.filter((k) => (k.state ?? 'active') !== 'active').map((k) => k.homeSlot);
  }
}
