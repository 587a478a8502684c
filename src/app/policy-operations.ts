import type { KeyTier } from '../domain/values/key-kinds.js';
import * as grants from '../store/custodian/grants.js';
import * as groups from '../store/custodian/groups.js';
import { grantSlot, revokeSlot } from '../store/custodian/permissions.js';
import * as schedules from '../store/custodian/schedules.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import * as tiers from '../store/custodian/tiers.js';
import { bound } from './bound.js';
import { fieldsOf, whole } from './record-queries.js';
import { checkedInput } from './checked-input.js';
import {
  checkAuthoriserGroup,
  checkGrantSpec,
  checkReasonCode,
  requireSlot,
} from './custodian-rules.js';
import {
  calendarDate,
  checkNotEnded,
  freeText,
  minuteRangeValue,
  name as checkName,
  oneOf,
  weekdayNumber,
} from './values.js';

export type { GrantSpec } from '../store/custodian/grants.js';
export type { TierPatch } from '../store/custodian/tiers.js';

/** The most permissions and grants one `grants.inForce` answers. */
export const MAX_GRANTS_PAGE = 100;

const groupName = (name: string) => checkName(name, 'a group name');

/** Who may take what, and when: groups, schedules, permissions and grants, tier rules. */
export function policyOperations(s: ChangeScope) {
  return {
    groups: {
      add: (name: string, maxLoanMinutes: number | null = null) => {
        const checked = checkedInput({ maxLoanMinutes });
        return groups.addGroup(s, groupName(name), checked.maxLoanMinutes);
      },
      update: (id: number, patch: Parameters<typeof groups.updateGroup>[2]) => {
        const checked = checkedInput(patch);
        if (checked.name !== undefined) checked.name = groupName(checked.name);
        return groups.updateGroup(s, id, checked);
      },
      remove: bound(s, groups.removeGroup),
      addMember: bound(s, groups.addMember),
      removeMember: bound(s, groups.removeMember),
      list: bound(s, groups.listGroups),
    },
    schedules: {
      add: (name: string) => schedules.addSchedule(s, checkName(name, 'a schedule name')),
      // The command line reads days and hours from text; a socket client or the web console
      // hands numbers over as they are, so the operation checks them again (the database's own
      // CHECKs would refuse a day 9 only as a failure, and take 2026-02-31).
      addWindow: (scheduleId: number, day: number, range: { start: number; end: number }) =>
        schedules.addWindow(
          s,
          scheduleId,
          weekdayNumber(day, 'day'),
          minuteRangeValue(range, 'hours'),
        ),
      addException: (
        scheduleId: number,
        date: string,
        kind: 'closed' | 'open',
        range: { start: number; end: number } | null,
      ) =>
        schedules.addException(
          s,
          scheduleId,
          calendarDate(typeof date === 'string' ? date : '', 'date'),
          oneOf(typeof kind === 'string' ? kind : '', 'kind', ['closed', 'open'] as const),
          range === null ? null : minuteRangeValue(range, 'hours'),
        ),
      remove: bound(s, schedules.removeSchedule),
      list: bound(s, schedules.listSchedules),
      /** How many grants use each schedule: while any does, it cannot be removed. */
      usage: bound(s, grants.scheduleUse),
    },
    permissions: {
      grant: (holderId: number, slot: number) => {
        requireSlot(s, slot);
        return grantSlot(s, holderId, slot);
      },
      revoke: (holderId: number, slot: number) => {
        const changed = revokeSlot(s, holderId, slot);
        // "was not permitted" would hide a mistyped slot; a permission on a slot the profile
        // no longer has can still be revoked above.
        if (!changed) requireSlot(s, slot);
        return changed;
      },
    },
    grants: {
      add: (spec: grants.GrantSpec) => {
        const checked = checkedInput(spec);
        checkGrantSpec(checked);
        checkNotEnded(checked.validUntil ?? null, s.now(), 'a permission');
        if (checked.slot !== undefined) requireSlot(s, checked.slot);
        return grants.grant(s, checked);
      },
      revoke: bound(s, grants.revokeGrant),
      list: bound(s, grants.listGrants),
      /** Those not ended by now (the daemon's), a page at a time, and how many there are. */
      inForce: (page: { offset: number; limit: number }) => {
        const given = fieldsOf(page, ['offset', 'limit']);
        return grants.listGrantsInForce(s, {
          now: s.now().toISOString(),
          offset: whole(given.offset, 'offset', 0, Number.MAX_SAFE_INTEGER),
          limit: whole(given.limit, 'limit', 1, MAX_GRANTS_PAGE),
        });
      },
    },
    tiers: {
      list: bound(s, tiers.listTierRules),
      set: (tier: KeyTier, patch: tiers.TierPatch) =>
        tiers.setTierRule(s, tier, checkedInput(patch), checkAuthoriserGroup),
    },
    reasonCodes: {
      add: (code: string, description: string) => {
        const clean = checkReasonCode(code);
        const text = freeText(description, 'a reason code description');
        return tiers.addReasonCode(s, clean, text);
      },
      remove: (code: string) => tiers.removeReasonCode(s, checkReasonCode(code)),
      list: bound(s, tiers.listReasonCodes),
    },
  };
}
