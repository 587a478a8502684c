import type { ActiveAlarm } from '../cabinet-state.js';
import type { AuthorisationRefusal } from '../dual-authorisation.js';
import type { BadgeDenialReason } from '../denial-reason.js';
import type { ScreenRefusal } from './screen-notice.js';

// Every refusal and alarm in the words the person at the cabinet reads. Exhaustive switches:
// a reason or alarm added to the policy does not compile until it is worded here.

/** What a refusal's words may name: only the current person's own keys and lockout. */
export interface RefusalContext {
  /** Labels of the person's own overdue keys. */
  overdueKeys: readonly string[];
  /** Seconds left of their badge's lockout; null when it is not locked. */
  lockedSeconds: number | null;
  /** Their limit on keys out; null when none applies. */
  maxKeysOut: number | null;
}

export function refusalText(refusal: ScreenRefusal, context: RefusalContext): string {
  return refusal.kind === 'denied'
    ? denialText(refusal.reason, refusal.slots ?? [], context)
    : authoriserText(refusal.reason);
}

function denialText(
  reason: BadgeDenialReason,
  slots: readonly number[],
  context: RefusalContext,
): string {
  switch (reason) {
    case 'unknown_card':
      return 'This card is not known here. Ask a custodian to enrol it.';
    case 'credential_disabled':
      return 'This card is disabled. Ask a custodian.';
    case 'holder_disabled':
      return 'Your access is disabled. Ask a custodian.';
    case 'nothing_permitted':
      return 'You may take no key from this cabinet now, and have none to return.';
    case 'lockdown':
      return 'The cabinet is locked down: only named people may open it now.';
    case 'unknown_holder':
      return 'This release names nobody the cabinet knows.';
    case 'holder_not_yet_valid':
      return 'Your access has not started yet.';
    case 'holder_expired':
      return 'Your access has ended. Ask a custodian.';
    case 'credential_not_yet_valid':
      return 'This card is not valid yet.';
    case 'credential_expired':
      return 'This card has expired. Ask a custodian.';
    case 'outside_schedule':
      return 'Your keys may not be taken at this time.';
    case 'permission_expired':
      return 'Your permission for these keys has ended.';
    case 'permission_not_yet_valid':
      return 'Your permission for these keys has not started yet.';
    case 'key_unavailable':
      return 'The keys you may take are marked lost, stolen or retired.';
    case 'locked_out':
      return context.lockedSeconds === null
        ? 'Your card was locked out after too many refusals.'
        : `Your card is locked out for ${context.lockedSeconds} s after too many refusals.`;
    case 'wrong_pin':
      return 'Wrong PIN. Badge again to try again.';
    case 'pin_locked':
      return 'Too many wrong PINs: this card is blocked until a custodian resets it.';
    case 'pin_not_set':
      return 'A PIN is needed and none is set for this card. Ask a custodian.';
    case 'entry_timeout':
      return 'Time ran out before the PIN or reason code. Badge again.';
    case 'entry_cancelled':
      return 'Cancelled: nothing was opened.';
    case 'reason_code_refused':
      return "That reason code is not one of this site's. Badge again.";
    case 'overdue_key':
      return context.overdueKeys.length === 0
        ? 'Return your overdue key first.'
        : `Return the overdue key ${listed(context.overdueKeys)} first.`;
    case 'loan_limit':
      return context.maxKeysOut === null
        ? 'You have as many keys out as allowed: return one first.'
        : `You have ${context.maxKeysOut} keys out, the most allowed: return one first.`;
    case 'presence_required':
      return 'This key can only be taken with a badge at the cabinet.';
    case 'pick_refused':
      return slots.length === 1
        ? `Slot ${slots[0]} is not yours to take now: nothing of that pick opened.`
        : 'Those slots are not all yours to take now: nothing of that pick opened.';
    case 'storage':
      return 'The cabinet cannot record right now, so nothing opened. Call a custodian.';
    default:
      return unworded(reason);
  }
}

function authoriserText(reason: AuthorisationRefusal): string {
  switch (reason) {
    case 'self_authorisation':
      return 'You cannot be your own second person: someone else must badge.';
    case 'already_authorised':
      return 'That person has already authorised: a different person must badge.';
    case 'not_authorised':
      return 'That card may not authorise these keys.';
    case 'not_in_group':
      return 'That person is not in the group that may authorise these keys.';
    case 'authorisation_expired':
      return 'Nobody authorised in time: those keys stayed locked.';
    default:
      return unworded(reason);
  }
}

/**
 * An alarm in words, or null for one the person at the cabinet is not shown: an overdue key is
 * another holder's business, a card flood is kept quiet so whoever taps blank cards learns
 * nothing, and the outbox backlog is the central server's.
 */
export function alarmText(alarm: ActiveAlarm): string | null {
  const at = alarm.slot === undefined ? '' : ` (slot ${alarm.slot})`;
  switch (alarm.type) {
    case 'door.forced':
      return 'The door was forced open.';
    case 'key.forced':
      return `A key was forced out${at}.`;
    case 'key.wrong_slot':
      return `A key is in the wrong slot${at}.`;
    case 'key.unknown_fob':
      return `An unknown fob is in a slot${at}.`;
    case 'door.held_open':
      return 'The door is held open: close it.';
    case 'key.swapped':
      return `A different key is in a slot${at}.`;
    case 'key.duplicate_fob':
      return `Two slots report the same fob${at}.`;
    case 'key.missing':
      return `A key is missing${at}.`;
    case 'reader.offline':
      return `The ${alarm.reader ?? 'badge'} reader is offline.`;
    case 'cabinet.tamper':
      return 'The cabinet has been tampered with.';
    case 'reader.tampered':
      return `The ${alarm.reader ?? 'badge'} reader has been tampered with.`;
    case 'power.failed':
      return 'Mains power is lost.';
    case 'storage.full':
    case 'storage.readonly':
    case 'storage.corrupt':
    case 'storage.failed':
      return 'The cabinet cannot record events: call a custodian.';
    case 'key.overdue':
    case 'reader.card_flood':
    case 'storage.backlog':
      return null;
    default:
      return unworded(alarm.type);
  }
}

function listed(labels: readonly string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}

/** The compiler sees every reason worded; at run time an unexpected value still gets words. */
function unworded(value: never): string {
  return `Refused (${String(value)}).`;
}
