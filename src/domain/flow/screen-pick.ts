import { releasableForSession } from '../misplaced-keys.js';
import type { StepDraft } from './step-draft.js';

// Pick-the-keys mode (as Traka Touch does it): the grant opened the door and offered its slots
// on the cabinet screen; the holder's pick releases those slots and no others. A pick can only
// narrow what the policy granted, so anything outside the offer refuses the whole pick.

/** The most slots one pick may name: more than any cabinet has is not a pick but noise. */
export const MAX_PICK = 64;

export function screenPick(draft: StepDraft, picked: readonly number[]): void {
  const session = draft.session;
  // Nobody is in: nothing to release and nobody to record it against (the screen's input rate
  // is bounded by the daemon, so ignoring costs nothing).
  if (!session?.offered || !draft.picksOnScreen()) return;
  const offered = new Set(session.offered);
  const unique = [...new Set(picked)];
  const valid =
    unique.length > 0 &&
    unique.length === picked.length &&
    picked.length <= MAX_PICK &&
    unique.every((slot) => draft.validSlot(slot) && offered.has(slot));
  if (!valid) {
    const { holderId, credentialId } = session;
    const slots = picked.slice(0, MAX_PICK).filter((s) => Number.isSafeInteger(s));
    draft.record({
      type: 'access.denied',
      data: {
        reason: 'pick_refused',
        holderId,
        ...(credentialId === null ? {} : { credentialId }),
        slots,
      },
    });
    draft.effects.push({ kind: 'signal', signal: 'denied' });
    return;
  }
  // A slot whose reads conflict since the grant (a duplicated fob, say) is released to nobody.
  const slots = [...unique]
    .filter((slot) => releasableForSession(draft.slot(slot)))
    .sort((a, b) => a - b);
  draft.session = {
    ...session,
    slots: [...session.slots, ...slots],
    offered: session.offered.filter((s) => !slots.includes(s)),
    // The pick starts the session's time again, so choosing does not eat the time to take.
    endsAt: draft.now + draft.ctx.settings.sessionMs,
  };
  draft.releaseForSession(slots);
}
