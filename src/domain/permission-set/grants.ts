import { instantOrNull, orNull } from '../policy/set-checks.js';
import { loanMinutesOrNull } from '../policy/loan-tier-pin-checks.js';
import { byId, id, slot, validityOrder } from './field-checks.js';
import type { SectionRule } from './section-rule.js';

/** A policy grant: a holder or group may take a slot or a key set, within a schedule and window. */
export const grants: SectionRule<'grants'> = {
  fields: {
    id,
    holderId: orNull(id),
    groupId: orNull(id),
    slot: (value, context) => (value === null ? undefined : slot(value, context)),
    keySetId: orNull(id),
    scheduleId: orNull(id),
    validFrom: instantOrNull,
    validUntil: instantOrNull,
    maxLoanMinutes: loanMinutesOrNull,
  },
  ...byId,
  optional: [
    'holderId',
    'groupId',
    'slot',
    'keySetId',
    'scheduleId',
    'validFrom',
    'validUntil',
    'maxLoanMinutes',
  ],
  describe: (key) => `grant ${key}`,
  unique: [],
  references: [
    { field: 'holderId', section: 'holders' },
    { field: 'groupId', section: 'accessGroups' },
    { field: 'keySetId', section: 'keySets' },
    { field: 'scheduleId', section: 'schedules' },
  ],
  optionalSection: true,
  extra: (rows) =>
    rows.flatMap((row, index) => {
      const problems: Array<{ index: number; field: string; problem: string }> = [];
      if ((row.holderId == null) === (row.groupId == null)) {
        problems.push({
          index,
          field: 'holderId',
          problem: 'give exactly one of holderId and groupId',
        });
      }
      if ((row.slot == null) === (row.keySetId == null)) {
        problems.push({ index, field: 'slot', problem: 'give exactly one of slot and keySetId' });
      }
      return [...problems, ...validityOrder([row]).map((p) => ({ ...p, index }))];
    }),
};
