import { pendingLoans } from '../cabinet-state.js';
import { type AuthorisationRefusal, offerAuthoriser } from '../dual-authorisation.js';
import { maskCard } from '../mask-card.js';
import { admitsAuthoriser } from './access-checks.js';
import { countDenial } from './lockouts.js';
import type { StepDraft } from './step-draft.js';

/**
 * A badge offered as the second (or third) person for the release that waits (the two- and
 * three-person rule, src/domain/dual-authorisation.ts). The taker's own badge and entries that
 * started the wait are badge-entry.ts.
 */
export function authoriserBadge(draft: StepDraft, card: string): void {
  const pending = draft.pending;
  const authorisation = pending?.authorisation;
  if (!pending || !authorisation) return;
  const { directory } = draft.ctx;
  const credential = directory.credentialByCard(card);
  const holder = credential ? directory.holder(credential.holderId) : undefined;
  const taker = { holderId: pending.holderId, holderName: pending.holderName };
  const refuse = (
    reason: AuthorisationRefusal,
    extra: { authoriserId?: number; card?: string },
  ) => {
    // Any other card breaks a confirmation in progress: two taps of one card, in a row.
    draft.pending = { ...pending, authorisation: { ...authorisation, confirming: null } };
    draft.record({ type: 'authorisation.refused', data: { ...taker, reason, ...extra } });
    draft.effects.push({ kind: 'signal', signal: 'denied' });
  };
  if (!credential || !holder) {
    refuse('not_authorised', { card: maskCard(card) });
    countDenial(draft, { kind: 'reader' });
    return;
  }
  const outcome = offerAuthoriser(
    authorisation,
    {
      holderId: holder.id,
      credentialId: credential.id,
      groupIds: directory.groupsOf(holder.id),
      admitted: admitsAuthoriser(draft, credential, holder, pending),
    },
    draft.now,
  );
  if (outcome.kind === 'refused') {
    refuse(outcome.reason, { authoriserId: holder.id });
    return;
  }
  const next = outcome.pending;
  if (outcome.kind === 'confirm') {
    // Not yet an authoriser: nothing recorded until the card is tapped again to confirm.
    draft.pending = { ...pending, authorisation: next };
    draft.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
    return;
  }
  draft.record({
    type: 'authorisation.given',
    data: {
      ...taker,
      authoriser: { holderId: holder.id, holderName: holder.name },
      given: next.authorisers.length,
      required: next.required,
    },
  });
  if (outcome.kind === 'waiting') {
    draft.pending = { ...pending, authorisation: next };
    draft.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
    return;
  }
  draft.pending = null;
  // Only the gated keys: the taker's own misplaced keys came with their first release.
  const slots = draft.releasable(
    pending.gated.map((s) => draft.keyIn(s)?.homeSlot ?? s),
    null,
  );
  const authorisers = next.authorisers.map((id) => ({
    holderId: id,
    holderName: directory.holder(id)?.name ?? '',
  }));
  draft.record({
    type: 'access.granted',
    data: {
      ...taker,
      credentialId: pending.credentialId,
      card: pending.card,
      slots,
      authorisers,
      ...(pending.reasonCode === null ? {} : { reasonCode: pending.reasonCode }),
    },
  });
  const session = draft.session;
  if (session?.holderId === pending.holderId) {
    // The taker's session for the other keys is still open: add these and restart its time.
    draft.addToSession(slots);
  } else {
    if (session) draft.endSession();
    draft.openSession(
      { id: pending.holderId, name: pending.holderName },
      pending.credentialId,
      slots,
      pendingLoans(pending),
    );
  }
}
