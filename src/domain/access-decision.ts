import type { Credential, Holder, SlotPermission } from './model.js';

export type DenialReason =
  | 'unknown_card'
  | 'credential_disabled'
  | 'holder_disabled'
  | 'nothing_permitted'
  /** A lockdown is in force and the holder is not among those it still admits. */
  | 'lockdown'
  /** A remote release named a holder the cabinet does not know. */
  | 'unknown_holder';

/** While a lockdown is in force, only these holders are admitted. */
export interface LockdownRule {
  allowHolders: readonly number[];
}

export interface AccessRequest {
  /** What the store found for the presented card; undefined if nothing. */
  credential: Credential | undefined;
  holder: Holder | undefined;
  permissions: readonly SlotPermission[];
  /** Slots whose key is out with this holder: they may open the door to return it. */
  keysOut: number;
  /** Wall time of the request (ms). Unused by the rules of this release; validity windows and
   *  schedules will read it, and keeping it in the signature now keeps the function pure. */
  nowMs: number;
  /** The lockdown in force, if any. */
  lockdown?: LockdownRule | null;
}

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
  if (lockedOut(holder, request.lockdown)) return { granted: false, reason: 'lockdown', ...ids };

  const slots = [
    ...new Set(request.permissions.filter((p) => p.holderId === holder.id).map((p) => p.slot)),
  ].sort((a, b) => a - b);
  if (slots.length === 0 && request.keysOut === 0) {
    return { granted: false, reason: 'nothing_permitted', ...ids };
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
  if (lockedOut(holder, request.lockdown)) return { granted: false, reason: 'lockdown', ...ids };
  const permitted = request.permissions.some((p) => p.holderId === holder.id && p.slot === slot);
  if (!permitted) return { granted: false, reason: 'nothing_permitted', ...ids };
  return { granted: true, ...ids, slots: [slot] };
}

function lockedOut(holder: Holder, lockdown: LockdownRule | null | undefined): boolean {
  return lockdown != null && !lockdown.allowHolders.includes(holder.id);
}
