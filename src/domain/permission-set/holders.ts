import { instantOrNull } from '../policy/set-checks.js';
import { keysOutOrNull } from '../policy/loan-tier-pin-checks.js';
import { byId, flag, id, text, validityOrder } from './field-checks.js';
import type { SectionRule } from './section-rule.js';

/** A person who may take keys; retired, not deleted, while a loan names them. */
export const holders: SectionRule<'holders'> = {
  fields: {
    id,
    name: text(200),
    enabled: flag,
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    maxKeysOut: keysOutOrNull,
  },
  ...byId,
  optional: ['validFrom', 'validUntil', 'maxKeysOut'],
  extra: validityOrder,
  describe: (key) => `holder ${key}`,
  unique: [],
  references: [],
};
