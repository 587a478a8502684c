import { reasonCode } from '../policy/loan-tier-pin-checks.js';
import { text } from './field-checks.js';
import type { SectionRule } from './section-rule.js';

/** The codes a reason may be given as; none at all: any code of 1–6 digits is accepted. */
export const reasonCodes: SectionRule<'reasonCodes'> = {
  fields: { code: reasonCode, description: text(200) },
  key: (row) => row.code,
  keyFields: ['code'],
  keyPath: '.code',
  keyText: (row) => `code=${row.code}`,
  describe: (key) => `reason code ${key}`,
  removal(value, path, _context, problems) {
    const problem = reasonCode(value);
    if (problem === undefined) return value as string;
    problems.push(`${path}: ${problem}`);
    return undefined;
  },
  unique: [],
  references: [],
  optionalSection: true,
  keptWhenAbsent: true,
};
