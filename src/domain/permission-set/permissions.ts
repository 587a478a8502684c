import { instantOrNull } from '../policy/set-checks.js';
import { loanMinutesOrNull } from '../policy/loan-tier-pin-checks.js';
import { checkRow, WELL_FORMED } from './check-rows.js';
import { id, slot, validityOrder } from './field-checks.js';
import type { SectionRule } from './section-rule.js';
import type { SetPermission } from './wire.js';

/**
 * A permission's key packs the pair into one number (holder × 2^20 + slot) while that is exact,
 * as it is for any real cabinet: numbers hash twice as fast as strings, and a large set has
 * 200,000 permissions. Beyond that range the pair becomes a string.
 */
const SLOT_SPAN = 2 ** 20;
const MAX_PACKED_HOLDER = Math.floor(Number.MAX_SAFE_INTEGER / SLOT_SPAN);

export const permissions: SectionRule<'permissions'> = {
  fields: {
    holderId: id,
    slot,
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    maxLoanMinutes: loanMinutesOrNull,
  },
  optional: ['validFrom', 'validUntil', 'maxLoanMinutes'],
  extra: validityOrder,
  key: (row) =>
    row.slot < SLOT_SPAN && row.holderId <= MAX_PACKED_HOLDER
      ? row.holderId * SLOT_SPAN + row.slot
      : `${row.holderId}:${row.slot}`,
  keyFields: ['holderId', 'slot'],
  keyPath: '',
  keyText: (row) => `holderId=${row.holderId},slot=${row.slot}`,
  describe(key) {
    const [holder, slotNumber] =
      typeof key === 'number' ? [Math.floor(key / SLOT_SPAN), key % SLOT_SPAN] : key.split(':');
    return `the permission of holder ${holder} for slot ${slotNumber}`;
  },
  removal(value, path, context, problems) {
    const verdict = checkRow(permissions, value, path, undefined, context, problems);
    return verdict === WELL_FORMED ? permissions.key(value as SetPermission) : undefined;
  },
  unique: [],
  references: [{ field: 'holderId', section: 'holders' }],
};
