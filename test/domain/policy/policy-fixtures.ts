import type { AccessRequest, PolicyInputs } from '../../../src/domain/access-decision.js';
import type { PolicyGrant, Schedule } from '../../../src/domain/model.js';

/** Alice (holder 1, card 10) with no permissions of her own: each test adds what it needs. */
export const alice = { id: 1, name: 'Alice', enabled: true };
export const aliceCard = { id: 10, holderId: 1, card: 'C1', enabled: true };

export function request(
  nowMs: number,
  policy: Partial<PolicyInputs>,
  extra: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    credential: aliceCard,
    holder: alice,
    permissions: [],
    keysOut: 0,
    nowMs,
    policy: { groupIds: [], grants: [], unreleasableSlots: [], timeZone: 'UTC', ...policy },
    ...extra,
  };
}

let nextId = 100;

export function groupGrant(groupId: number, slots: number[], more: Partial<PolicyGrant> = {}) {
  return grant({ subject: { kind: 'group', groupId }, slots, ...more });
}

export function holderGrant(holderId: number, slots: number[], more: Partial<PolicyGrant> = {}) {
  return grant({ subject: { kind: 'holder', holderId }, slots, ...more });
}

function grant(g: Omit<PolicyGrant, 'id' | 'schedule'> & Partial<PolicyGrant>): PolicyGrant {
  return { id: nextId++, schedule: null, ...g };
}

/** Monday to Friday, `from` to `to` (minutes after local midnight). */
export function weekdays(from: number, to: number, more: Partial<Schedule> = {}): Schedule {
  return {
    id: 1,
    windows: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, startMinute: from, endMinute: to })),
    exceptions: [],
    ...more,
  };
}

export const at = (iso: string): number => Date.parse(iso);
export const H = 60;
