import { expect, it } from 'vitest';
import {
  DEFAULT_TIER_RULES,
  requirementsFor,
  type TierRules,
} from '../../../src/domain/key-tiers.js';
import { tierLoanLimit } from '../../../src/domain/loan-limits.js';
import { dueAt } from '../../../src/domain/loans.js';

it('an untiered or change key needs nothing more than a badge', () => {
  expect(requirementsFor(['none', 'change'], DEFAULT_TIER_RULES)).toEqual({
    authorisers: 0,
    authoriserGroupIds: [],
    pin: false,
    reasonCode: false,
  });
});

it('keys released together need the strictest rule of any of them', () => {
  expect(requirementsFor(['change', 'sub_master', 'master'], DEFAULT_TIER_RULES)).toEqual({
    authorisers: 1,
    authoriserGroupIds: [],
    pin: true,
    reasonCode: true,
  });
  expect(requirementsFor(['grand_master', 'master'], DEFAULT_TIER_RULES).authorisers).toBe(2);
});

it('the rules are data: a site can demand authorisers from named groups', () => {
  const rules: TierRules = {
    ...DEFAULT_TIER_RULES,
    master: { ...DEFAULT_TIER_RULES.master, authoriserGroupId: 7 },
    sub_master: { authorisers: 1, authoriserGroupId: 3, pin: false, reasonCode: false },
  };
  expect(requirementsFor(['master', 'sub_master'], rules).authoriserGroupIds).toEqual([3, 7]);
});

it('a tier’s shorter loan joins the other limits, and the strictest wins', () => {
  const out = Date.parse('2026-11-24T09:00:00Z');
  const tier = tierLoanLimit('grand_master', DEFAULT_TIER_RULES);
  expect(tier).toEqual({ source: 'tier', maxMinutes: 60 });
  const limits = [{ source: 'key', maxMinutes: 480 } as const, ...(tier ? [tier] : [])];
  expect(dueAt(out, limits, 'UTC')).toBe(out + 60 * 60_000);
  expect(tierLoanLimit('change', DEFAULT_TIER_RULES)).toBeNull();
});
