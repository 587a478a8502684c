import type { Credential, Holder, PolicyGrant, SlotPermission } from './model.js';
import { coveredSlots } from './policy/coverage.js';
import { validityAt } from './policy/validity.js';

export type DenialReason =
  | 'unknown_card'
  | 'credential_disabled'
  | 'holder_disabled'
  | 'nothing_permitted'
  /** A lockdown is in force and the holder is not among those it still admits. */
  | 'lockdown'
  /** A remote release named a holder the cabinet does not know. */
  | 'unknown_holder'
  /** The holder's validity window has not begun, or has ended (a contractor's end date). */
  | 'holder_not_yet_valid'
  | 'holder_expired'
  /** The badge's own validity window has not begun, or has ended. */
  | 'credential_not_yet_valid'
  | 'credential_expired'
  /** Every permission that would open a slot carries a schedule that is closed now. */
  | 'outside_schedule'
  /** Every permission of the holder has ended, or none has begun yet. */
  | 'permission_expired'
  | 'permission_not_yet_valid'
  /** The only permitted slots hold keys marked lost, stolen or retired. */
  | 'key_unavailable';

/** While a lockdown is in force, only these holders are admitted. */
export interface LockdownRule {
  allowHolders: readonly number[];
  /** Members of these access groups are admitted too. */
  allowGroups?: readonly number[];
}

export interface AccessRequest {
  /** What the store found for the presented card; undefined if nothing. */
  credential: Credential | undefined;
  holder: Holder | undefined;
  permissions: readonly SlotPermission[];
  /** Slots whose key is out with this holder: they may open the door to return it. */
  keysOut: number;
  /** Wall time of the request (ms): validity windows and schedules are judged at it. */
  nowMs: number;
  /** The lockdown in force, if any. */
  lockdown?: LockdownRule | null;
  /** The policy inputs below are optional so that a caller without them decides as before. */
  policy?: PolicyInputs;
}

/** What the policy engine adds to a request; the store looks these up for the holder. */
export interface PolicyInputs {
  /** The access groups the holder belongs to. */
  groupIds: readonly number[];
  /** Grants to the holder or their groups, key sets resolved to home slots. */
  grants: readonly PolicyGrant[];
  /** Home slots of keys marked lost, stolen or retired. */
  unreleasableSlots: readonly number[];
  /** IANA zone the cabinet's schedules are read in (configuration). */
  timeZone: string;
}

const NO_POLICY: PolicyInputs = {
  groupIds: [],
  grants: [],
  unreleasableSlots: [],
  timeZone: 'UTC',
};

export type AccessDecision =
  | { granted: true; holderId: number; credentialId: number; slots: number[] }
  | { granted: false; reason: DenialReason; holderId?: number; credentialId?: number };

/**
 * Who may open the cabinet, and which slots they may release. Pure: everything it needs is in
 * the request. A holder with nothing permitted but a key to bring back is granted the door only
 * (an empty slot list), because a return must not depend on a take permission.
 */
export function decideAccess(request: AccessRequest): AccessDecision {
  const { credential, holder } = request;
  if (!credential || !holder || credential.holderId !== holder.id) {
    return { granted: false, reason: 'unknown_card' };
  }
  const ids = { holderId: holder.id, credentialId: credential.id };
  if (!holder.enabled) return { granted: false, reason: 'holder_disabled', ...ids };
  if (!credential.enabled) return { granted: false, reason: 'credential_disabled', ...ids };
  const stale =
    validityDenial(holder, 'holder', request.nowMs) ??
    validityDenial(credential, 'credential', request.nowMs);
  if (stale) return { granted: false, reason: stale, ...ids };
  if (lockedOut(holder, request.lockdown, request.policy?.groupIds ?? []))
    return { granted: false, reason: 'lockdown', ...ids };

  const { slots, uncovered } = coverageOf(holder, request);
  if (slots.length === 0 && request.keysOut === 0) {
    return { granted: false, reason: uncovered ?? 'nothing_permitted', ...ids };
  }
  return { granted: true, ...ids, slots };
}

export interface RemoteReleaseRequest {
  holder: Holder | undefined;
  permissions: readonly SlotPermission[];
  /** The one slot the central server asks to release for this holder. */
  slot: number;
  nowMs: number;
  lockdown?: LockdownRule | null;
  policy?: PolicyInputs;
}

export type RemoteReleaseDecision =
  | { granted: true; holderId: number; slots: number[] }
  | { granted: false; reason: DenialReason; holderId?: number };

/**
 * The central server's `release`: as if the holder had badged, but for the one slot asked, so
 * a remote release can never open more than the holder's own badge would. There is no
 * credential, so only the holder's rules apply.
 */
export function decideRemoteRelease(request: RemoteReleaseRequest): RemoteReleaseDecision {
  const { holder, slot } = request;
  if (!holder) return { granted: false, reason: 'unknown_holder' };
  const ids = { holderId: holder.id };
  if (!holder.enabled) return { granted: false, reason: 'holder_disabled', ...ids };
  const stale = validityDenial(holder, 'holder', request.nowMs);
  if (stale) return { granted: false, reason: stale, ...ids };
  if (lockedOut(holder, request.lockdown, request.policy?.groupIds ?? []))
    return { granted: false, reason: 'lockdown', ...ids };
  const { slots, uncovered } = coverageOf(holder, request);
  if (!slots.includes(slot)) {
    // A policy reason (schedule, validity, key state) only when nothing of the holder's is open
    // now; with other slots open, this one is simply not among them.
    const own = uncovered !== undefined && slots.length === 0 ? uncovered : 'nothing_permitted';
    return { granted: false, reason: own, ...ids };
  }
  return { granted: true, ...ids, slots: [slot] };
}

function coverageOf(
  holder: Holder,
  request: { permissions: readonly SlotPermission[]; nowMs: number; policy?: PolicyInputs },
) {
  const policy = request.policy ?? NO_POLICY;
  return coveredSlots({
    holderId: holder.id,
    permissions: request.permissions,
    ...policy,
    nowMs: request.nowMs,
  });
}

/** The denial a record's validity window gives at a time, if any. */
function validityDenial(
  record: Holder | Credential,
  what: 'holder' | 'credential',
  nowMs: number,
): DenialReason | undefined {
  const status = validityAt(record, nowMs);
  switch (status) {
    case 'valid':
      return undefined;
    case 'not_yet_valid':
      return what === 'holder' ? 'holder_not_yet_valid' : 'credential_not_yet_valid';
    case 'expired':
      return what === 'holder' ? 'holder_expired' : 'credential_expired';
    default:
      return assertNever(status);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected validity status ${String(value)}`);
}

function lockedOut(
  holder: Holder,
  lockdown: LockdownRule | null | undefined,
  groupIds: readonly number[],
): boolean {
  if (lockdown == null || lockdown.allowHolders.includes(holder.id)) return false;
  return !(lockdown.allowGroups ?? []).some((g) => groupIds.includes(g));
}
