import type { Credential, Holder, SlotPermission } from './model.js';

export type DenialReason =
  'unknown_card' | 'credential_disabled' | 'holder_disabled' | 'nothing_permitted';

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

  const slots = [
    ...new Set(request.permissions.filter((p) => p.holderId === holder.id).map((p) => p.slot)),
  ].sort((a, b) => a - b);
  if (slots.length === 0 && request.keysOut === 0) {
    return { granted: false, reason: 'nothing_permitted', ...ids };
  }
  return { granted: true, ...ids, slots };
}
