import { oneOf, orNull } from '../policy/set-checks.js';
import { authoriserCount, loanMinutesOrNull } from '../policy/loan-tier-pin-checks.js';
import { flag, id, KEY_TIERS } from './field-checks.js';
import type { SectionRule } from './section-rule.js';
import type { SetKeyTier } from './wire.js';

/** What taking a key of a tier requires; a tier without a row has no rule of its own. */
export const tierRules: SectionRule<'tierRules'> = {
  fields: {
    tier: oneOf(...KEY_TIERS),
    authorisers: authoriserCount,
    authoriserGroupId: orNull(id),
    pin: flag,
    maxLoanMinutes: loanMinutesOrNull,
    reasonCode: flag,
  },
  key: (row) => row.tier,
  keyFields: ['tier'],
  keyPath: '.tier',
  keyText: (row) => `tier=${row.tier}`,
  describe: (key) => `the rule of tier ${key}`,
  removal(value, path, _context, problems) {
    const problem = oneOf(...KEY_TIERS)(value);
    if (problem === undefined) return value as SetKeyTier;
    problems.push(`${path}: ${problem}`);
    return undefined;
  },
  optional: ['authoriserGroupId', 'maxLoanMinutes'],
  unique: [],
  references: [{ field: 'authoriserGroupId', section: 'accessGroups' }],
  optionalSection: true,
  keptWhenAbsent: true,
};
