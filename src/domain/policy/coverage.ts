import type { PolicyGrant, SlotPermission } from '../model.js';
import { localTimeAt, type LocalTime } from './local-time.js';
import { scheduleAllows } from './schedule.js';
import { validityAt } from './validity.js';

/** Why a permission of the holder's opened nothing, most telling first when reporting. */
export type UncoveredReason =
  'outside_schedule' | 'permission_expired' | 'permission_not_yet_valid' | 'key_unavailable';

export interface CoverageInput {
  holderId: number;
  /** The access groups the holder belongs to. */
  groupIds: readonly number[];
  /** Direct holder–slot permissions (the original table); no schedule. */
  permissions: readonly SlotPermission[];
  grants: readonly PolicyGrant[];
  /** Home slots of lost, stolen and retired keys: never released. */
  unreleasableSlots: readonly number[];
  nowMs: number;
  /** IANA zone the schedules are read in. */
  timeZone: string;
}

export interface Coverage {
  /** The slots the holder may release now, ascending, without duplicates. */
  slots: number[];
  /** The strongest reason a permission of the holder's opened nothing, if one did. */
  uncovered: UncoveredReason | undefined;
}

const RANK: readonly UncoveredReason[] = [
  'outside_schedule',
  'permission_expired',
  'permission_not_yet_valid',
  'key_unavailable',
];

/**
 * The slots a holder's permissions open at `nowMs`: their own and their groups', in validity,
 * in schedule, minus slots whose key may not leave. Pure; the local time is computed at most
 * once, and only when a schedule asks for it.
 */
export function coveredSlots(input: CoverageInput): Coverage {
  const blocked = new Set(input.unreleasableSlots);
  const groups = new Set(input.groupIds);
  const slots = new Set<number>();
  const seen = new Set<UncoveredReason>();
  let local: LocalTime | undefined;

  const offer = (slot: number) => {
    if (blocked.has(slot)) seen.add('key_unavailable');
    else slots.add(slot);
  };

  for (const p of input.permissions) {
    if (p.holderId !== input.holderId) continue;
    const status = validityAt(p, input.nowMs);
    if (status === 'valid') offer(p.slot);
    else seen.add(status === 'expired' ? 'permission_expired' : 'permission_not_yet_valid');
  }
  for (const g of input.grants) {
    const mine =
      g.subject.kind === 'holder'
        ? g.subject.holderId === input.holderId
        : groups.has(g.subject.groupId);
    if (!mine) continue;
    const status = validityAt(g, input.nowMs);
    if (status !== 'valid') {
      seen.add(status === 'expired' ? 'permission_expired' : 'permission_not_yet_valid');
      continue;
    }
    if (g.schedule) {
      local ??= localTimeAt(input.nowMs, input.timeZone);
      if (!scheduleAllows(g.schedule, local)) {
        seen.add('outside_schedule');
        continue;
      }
    }
    for (const slot of g.slots) offer(slot);
  }
  return {
    slots: [...slots].sort((a, b) => a - b),
    uncovered: RANK.find((reason) => seen.has(reason)),
  };
}
