import type { CabinetDirectory } from './cabinet-directory.js';
import type { ReleaseReason, SlotState } from './cabinet-state.js';
import type { Key } from './model.js';

/**
 * Misplaced keys and what may energise a slot. The invariant: outside a session (and outside an
 * emergency release) no solenoid is ever on. A key in the wrong slot used to be released pulse
 * after pulse until someone moved it, door shut or not: it ate the solenoid supply's budget
 * (two on a two-at-once cabinet took all of it), and a forged fob report on the reader's serial
 * line could hold any locked slot open that way. Now:
 *
 * - A key arriving in a slot that is not its home (`key.wrong_slot`, an alarm that stays active
 *   while it is there) is released only for the session in progress, so the person at the
 *   cabinet can move it at once; its release ends with the session (door closed or timeout).
 * - A later session releases it again for the holder who can rightfully move it: the holder
 *   of its open loan (who put it there), or, with no loan open, a holder permitted its home
 *   slot (taking it is then an ordinary check-out, from the slot it was in).
 * - A slot is released only when its key-present switch shows a key. A fob report is bytes on a
 *   serial line; the switch is the cabinet's own wiring.
 * - A slot whose reads conflict (`key.swapped`, `key.duplicate_fob`) is withheld from every
 *   session: taking its key is forced, and recorded as such. Only an emergency release opens it.
 *
 * The alarm clears (`alarm.cleared`) when the key leaves the wrong slot: home, where its
 * check-in follows, or away on its loan. Reconciliation at start finds it again from the fob
 * reader's reports (a new `key.wrong_slot`, nothing released).
 */

/** The key in a slot that is not where it belongs, if that is what the slot holds. */
export function misplacedKey(key: Key | undefined, slot: number): Key | undefined {
  return key && key.homeSlot !== slot && key.returnPolicy !== 'any' ? key : undefined;
}

/** Whether the slot's reads disagree (a swap or a duplicate tag waits for a custodian). */
export function readsConflict(state: SlotState): boolean {
  return state.expectedTag !== undefined || state.duplicateTag !== undefined;
}

/** Whether anything may energise the slot for a session: a key its own switch shows. */
export function releasableForSession(state: SlotState): boolean {
  return state.occupied && state.switchOn === true && !readsConflict(state);
}

/**
 * Why a misplaced key's slot is released for a session, or null when this holder may not move
 * it. Still on loan: only its borrower moves it (`wrong_slot`: nothing recorded until it is
 * home). Not on loan: a holder permitted its home slot takes it like any key (`session`).
 */
export function misplacedRelease(
  key: Key,
  holderId: number | null,
  permittedHomeSlots: ReadonlySet<number>,
  directory: Pick<CabinetDirectory, 'openLoanOf'>,
): ReleaseReason | null {
  const loan = directory.openLoanOf(key.id);
  if (loan) return loan.holderId === holderId ? 'wrong_slot' : null;
  return permittedHomeSlots.has(key.homeSlot) ? 'session' : null;
}

/** The release a misplaced key gets in a session: it stays on its open loan until it is home. */
export function misplacedReleaseReason(
  key: Key,
  directory: Pick<CabinetDirectory, 'openLoanOf'>,
): ReleaseReason {
  return directory.openLoanOf(key.id) ? 'wrong_slot' : 'session';
}
