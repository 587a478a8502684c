import { oneOf, orNull } from '../policy/set-checks.js';
import { curfewMinuteOrNull, loanMinutesOrNull } from '../policy/loan-tier-pin-checks.js';
import { byId, id, KEY_TIERS, matching, slot, text } from './field-checks.js';
import type { SectionRule } from './section-rule.js';

const TAG = /^[0-9A-F]{4,32}$/;

/** A key and its fob; a key out on loan keeps its tag and home slot even when the set drops it. */
export const keys: SectionRule<'keys'> = {
  fields: {
    id,
    tag: matching(TAG, '4 to 32 upper-case hex digits'),
    label: text(200),
    homeSlot: slot,
    state: oneOf('active', 'lost', 'stolen'),
    tier: orNull(oneOf(...KEY_TIERS)),
    maxLoanMinutes: loanMinutesOrNull,
    curfewMinute: curfewMinuteOrNull,
    returnPolicy: oneOf('home', 'any'),
  },
  ...byId,
  optional: ['state', 'tier', 'maxLoanMinutes', 'curfewMinute', 'returnPolicy'],
  defaults: { state: 'active', returnPolicy: 'home' },
  describe: (key) => `key ${key}`,
  unique: [
    { field: 'tag', what: 'the tag' },
    { field: 'homeSlot', what: 'the home slot' },
  ],
  references: [],
  extra(rows, context) {
    const inSet = new Set(rows.map((row) => row.id));
    const away = (context.keysOut ?? []).filter((key) => !inSet.has(key.id));
    if (away.length === 0) return [];
    const byTag = new Map(away.map((key) => [key.tag, key.id]));
    const bySlot = new Map(away.map((key) => [key.homeSlot, key.id]));
    const held = (id: number) =>
      `key ${id}, which is out on loan and not in the set: it must come back first`;
    return rows.flatMap((row, index) => {
      const tagOf = byTag.get(row.tag);
      const slotOf = bySlot.get(row.homeSlot);
      return [
        ...(tagOf === undefined
          ? []
          : [{ index, field: 'tag', problem: `still the tag of ${held(tagOf)}` }]),
        ...(slotOf === undefined
          ? []
          : [{ index, field: 'homeSlot', problem: `still the home of ${held(slotOf)}` }]),
      ];
    });
  },
};
