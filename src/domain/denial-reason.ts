import type { DenialReason } from './access-decision.js';

/**
 * Denials the cabinet flow decides itself, from what it remembers between badges, as opposed
 * to the policy's (`DenialReason`, decided from the directory alone).
 */
export type FlowDenialReason =
  /** Too many denied badges of this credential, or of unknown cards at the reader. */
  | 'locked_out'
  /** The PIN typed after the badge was wrong. */
  | 'wrong_pin'
  /** Too many wrong PINs in a row: refused until a custodian resets the count. */
  | 'pin_locked'
  /** A PIN is required (credential or key tier) and none is set for this credential. */
  | 'pin_not_set'
  /** The PIN or reason code did not come in time. */
  | 'entry_timeout'
  /** The keypad's clear key, or another badge, abandoned the entry. */
  | 'entry_cancelled'
  /** The reason code is not one of the site's codes. */
  | 'reason_code_refused'
  /** The holder has an overdue key and may take no other. */
  | 'overdue_key'
  /** The holder already has as many keys out as allowed. */
  | 'loan_limit'
  /**
   * A `release` command for a key whose tier asks for a PIN, a reason code or authorisers:
   * only people at the cabinet can give those, so the key is taken with a badge there.
   */
  | 'presence_required'
  /**
   * Pick-the-keys mode: the holder picked on the cabinet screen a slot the grant did not offer
   * (another slot, a key the policy refused, one already released). Nothing of the pick opens.
   */
  | 'pick_refused';

/**
 * Denials the shell decides: `storage` when the database cannot record the step (a release
 * that cannot be recorded never happens).
 */
export type ShellDenialReason = 'storage';

/** Every reason an `access.denied` can give. */
export type BadgeDenialReason = DenialReason | FlowDenialReason | ShellDenialReason;

/**
 * Denials that refuse a genuine holder for a reason of the cabinet's (a lockdown, the lockout
 * itself), not of the card: counting them would lock the holder out as well. Everything else
 * counts, so a reason added to the policy counts until it is listed here (fail secure); that is
 * also why this is a list and not an exhaustive switch, which would break whenever the policy
 * gains a reason.
 */
const NOT_COUNTED: ReadonlySet<BadgeDenialReason> = new Set<BadgeDenialReason>([
  'lockdown',
  'unknown_holder',
  'locked_out',
  'pin_not_set',
  'entry_timeout',
  'entry_cancelled',
  'overdue_key',
  'loan_limit',
  'presence_required',
  // Recorded within a granted session: the holder is known and already in.
  'pick_refused',
  'storage',
]);

/** Whether a denial counts towards a lockout. */
export function countsTowardsLockout(reason: BadgeDenialReason): boolean {
  return !NOT_COUNTED.has(reason);
}
