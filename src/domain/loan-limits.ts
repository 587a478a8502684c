import type { CabinetDirectory } from './cabinet-directory.js';
import type { TierRules } from './key-tiers.js';
import type { LoanLimit } from './loans.js';
import type { Key, KeyTier } from './model.js';

/**
 * Every loan limit that applies when a holder takes a key: the key's own period and
 * curfew, its tier's period, the period of any permission or grant of the holder's that covers
 * the key, and the periods of the holder's groups. `dueAt` keeps the strictest.
 */
export function loanLimitsFor(
  directory: CabinetDirectory,
  holderId: number,
  key: Key,
  rules: TierRules,
): LoanLimit[] {
  const limits: LoanLimit[] = [];
  if (key.maxLoanMinutes != null) limits.push({ source: 'key', maxMinutes: key.maxLoanMinutes });
  if (key.curfewMinute != null) limits.push({ source: 'key', curfewMinute: key.curfewMinute });
  const tier = tierLoanLimit(key.tier ?? 'none', rules);
  if (tier) limits.push(tier);
  for (const permission of directory.permissionsOf(holderId)) {
    if (permission.slot === key.homeSlot && permission.maxLoanMinutes != null) {
      limits.push({ source: 'permission', maxMinutes: permission.maxLoanMinutes });
    }
  }
  for (const grant of directory.grantsOf(holderId)) {
    if (grant.slots.includes(key.homeSlot) && grant.maxLoanMinutes != null) {
      limits.push({ source: 'permission', maxMinutes: grant.maxLoanMinutes });
    }
  }
  for (const minutes of directory.groupLoanLimits(holderId)) {
    limits.push({ source: 'group', maxMinutes: minutes });
  }
  return limits;
}

/** The tier's loan limit, for `dueAt` alongside the key's, permission's and group's. */
export function tierLoanLimit(tier: KeyTier, rules: TierRules): LoanLimit | null {
  const minutes = rules[tier].maxLoanMinutes;
  return minutes === undefined ? null : { source: 'tier', maxMinutes: minutes };
}
