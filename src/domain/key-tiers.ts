import type { KeyTier } from './model.js';

/**
 * The master-key hierarchy: the higher a key's tier, the more it opens, so the stricter the
 * rules for taking it. Which rules each tier carries is data (configuration or the central
 * server's sync), not code: organisations differ. The tier itself is part of the key's record
 * (src/domain/model.ts).
 */
export interface TierRule {
  /** Further authorised holders who must badge before the key is released (0, 1 or 2). */
  authorisers: 0 | 1 | 2;
  /** When set, each authoriser must belong to this access group. */
  authoriserGroupId?: number;
  /** The taker must enter their PIN after the badge. */
  pin: boolean;
  /** A loan limit of the tier's own, combined with the others (the strictest applies). */
  maxLoanMinutes?: number;
  /** The taker must give a reason code. */
  reasonCode: boolean;
}

export type TierRules = Readonly<Record<KeyTier, TierRule>>;

const FREE: TierRule = { authorisers: 0, pin: false, reasonCode: false };

/** A starting point that follows common key-control practice; every site should review it. */
export const DEFAULT_TIER_RULES: TierRules = {
  grand_master: { authorisers: 2, pin: true, maxLoanMinutes: 60, reasonCode: true },
  master: { authorisers: 1, pin: true, maxLoanMinutes: 240, reasonCode: true },
  sub_master: { authorisers: 0, pin: true, maxLoanMinutes: 480, reasonCode: false },
  change: FREE,
  none: FREE,
};

/** What releasing a set of keys together requires: the strictest rule of any of them. */
export interface Requirements {
  authorisers: 0 | 1 | 2;
  /** Every group some key demands its authorisers come from, ascending. */
  authoriserGroupIds: number[];
  pin: boolean;
  reasonCode: boolean;
}

export function requirementsFor(tiers: readonly KeyTier[], rules: TierRules): Requirements {
  const result: Requirements = {
    authorisers: 0,
    authoriserGroupIds: [],
    pin: false,
    reasonCode: false,
  };
  const groups = new Set<number>();
  for (const tier of tiers) {
    const rule = rules[tier];
    if (rule.authorisers > result.authorisers) result.authorisers = rule.authorisers;
    if (rule.authoriserGroupId !== undefined) groups.add(rule.authoriserGroupId);
    result.pin ||= rule.pin;
    result.reasonCode ||= rule.reasonCode;
  }
  result.authoriserGroupIds = [...groups].sort((a, b) => a - b);
  return result;
}
