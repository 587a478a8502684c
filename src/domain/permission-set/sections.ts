import { credentials } from './credentials.js';
import { grants } from './grants.js';
import { holders } from './holders.js';
import { keys } from './keys.js';
import { groupMembers, keySetMembers } from './link-sections.js';
import { accessGroups, keySets, schedules } from './named-sections.js';
import { permissions } from './permissions.js';
import { reasonCodes } from './reason-codes.js';
import { scheduleExceptions, scheduleWindows } from './schedule-sections.js';
import type { SectionRule } from './section-rule.js';
import { tierRules } from './tier-rules.js';
import type { PermissionSections, SectionName } from './wire.js';

/**
 * Every section, parents before the sections that refer to them: the store inserts in this
 * order and removes in the reverse one (test/domain/permission-set-sections.test.ts checks
 * it). The validator, the merge, the diff and the store's tables all read this one list.
 */
export const SECTIONS: { readonly [S in SectionName]: SectionRule<S> } = {
  holders,
  credentials,
  keys,
  permissions,
  accessGroups,
  groupMembers,
  keySets,
  keySetMembers,
  schedules,
  scheduleWindows,
  scheduleExceptions,
  grants,
  tierRules,
  reasonCodes,
};

/** A section's rule, typed by its name (indexing SECTIONS with a union loses the pairing). */
export function ruleOf<S extends SectionName>(name: S): SectionRule<S> {
  return SECTIONS[name];
}

export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

/** The policy's sections, empty: for sets built by hand that do not use them. */
export function emptyPolicySections(): Pick<
  PermissionSections,
  | 'accessGroups'
  | 'groupMembers'
  | 'keySets'
  | 'keySetMembers'
  | 'schedules'
  | 'scheduleWindows'
  | 'scheduleExceptions'
  | 'grants'
> {
  return {
    accessGroups: [],
    groupMembers: [],
    keySets: [],
    keySetMembers: [],
    schedules: [],
    scheduleWindows: [],
    scheduleExceptions: [],
    grants: [],
  };
}
