import { loanMinutesOrNull } from '../policy/loan-tier-pin-checks.js';
import { byId, id, text } from './field-checks.js';
import type { RowKey, SectionRule } from './section-rule.js';

/** A named row of the policy (group, key set, schedule): an id and a name. */
const named = (what: string) => ({
  fields: { id, name: text(200) },
  ...byId,
  describe: (key: RowKey) => `${what} ${key}`,
  unique: [],
  references: [],
  optionalSection: true,
});

/** A group is a named row with a loan limit of its own (the strictest limit applies). */
export const accessGroups: SectionRule<'accessGroups'> = {
  ...named('access group'),
  fields: { id, name: text(200), maxLoanMinutes: loanMinutesOrNull },
  optional: ['maxLoanMinutes'],
};
export const keySets: SectionRule<'keySets'> = named('key set');
export const schedules: SectionRule<'schedules'> = named('schedule');
