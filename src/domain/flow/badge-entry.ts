import { policySettings, type PendingBadge, pendingLoans } from '../cabinet-state.js';
import { countsTowardsLockout, type BadgeDenialReason } from '../denial-reason.js';
import { authorisationExpired, startAuthorisation } from '../dual-authorisation.js';
import type { AccessDecision } from '../access-decision.js';
import type { NewEvent } from '../events.js';
import { floodCardSeen } from '../card-flood.js';
import {
  countRefusedUnknown,
  forget,
  isLocked,
  type LockoutSubject,
  refuseDuringLock,
} from '../lockout.js';
import { maskCard } from '../mask-card.js';
import type { Credential } from '../model.js';
import type { PinOutcome } from '../pin.js';
import { decideBadge, takeCheck, tierDemands } from './access-checks.js';
import { authoriserBadge } from './authorisers.js';
import { countDenial } from './lockouts.js';
import { refusedForWrongPins, rightPinTyped, wrongPinCounted } from './pin-failures.js';
import type { StepDraft } from './step-draft.js';

// A badge at the reader and what the keypad adds to it: the policy's decision, then the PIN,
// the reason code and the further holders of the two- and three-person rule before anything
// opens. The second person's own badge is authorisers.ts.

export function badge(draft: StepDraft, card: string): void {
  // While a two- or three-person release waits, a badge is offered as the next authoriser.
  const waiting = draft.pending?.authorisation;
  if (waiting && !authorisationExpired(waiting, draft.now)) {
    authoriserBadge(draft, card);
    return;
  }
  // A badge replaces an entry in progress (someone else stepped up, or the holder restarts).
  if (draft.pending) {
    abandonPending(draft, pendingLapsed(draft) ? 'entry_timeout' : 'entry_cancelled');
  }
  // One person at a time: a new badge closes whatever session was open.
  if (draft.session) draft.endSession();
  const { directory } = draft.ctx;
  const credential = directory.credentialByCard(card);
  const holder = credential ? directory.holder(credential.holderId) : undefined;
  const masked = maskCard(card);
  const subject: LockoutSubject = credential
    ? { kind: 'credential', credentialId: credential.id, holderId: credential.holderId }
    : { kind: 'reader' };
  // While the reader is locked by a flood of unknown cards, only a card with a PIN gets in.
  const floodLocked = isLocked(draft.lockouts, { kind: 'reader' }, draft.now);
  if (refusedByLockout(draft, credential, subject, masked, floodLocked)) return;
  if (refusedForWrongPins(draft, credential, masked)) return;
  // Read once: the decision counts them, the take rules below look at their due times.
  const loans = holder ? directory.openLoansOf(holder.id) : [];
  const decision = decideBadge(draft, credential, holder, loans.length);
  if (!decision.granted || !holder) {
    denyBadge(draft, decision, masked, subject);
    return;
  }
  // A success forgets earlier denials, but only once the whole entry has succeeded: a badge
  // that still waits for its PIN must not wipe the count of wrong PINs before it.
  const succeeded = () => (draft.lockouts = forget(draft.lockouts, subject));
  const slots = draft.releasable(decision.slots, holder.id);
  const policy = policySettings(draft.ctx.settings);
  const { limit, refusal } = takeCheck(draft, holder, loans, slots);
  const ref = { holderId: holder.id, holderName: holder.name };
  const badgeRef = { ...ref, credentialId: decision.credentialId, card: masked };
  if (refusal) {
    // Returning stays possible: a holder with keys out gets the door, and nothing to take.
    if (loans.length === 0) {
      draft.record({ type: 'access.denied', data: { reason: refusal, ...badgeRef } });
      draft.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
    succeeded();
    draft.record({
      type: 'access.granted',
      data: { ...badgeRef, slots: [], takeRefused: refusal },
    });
    draft.openSession(holder, decision.credentialId, [], { keysOut: loans.length, ...limit });
    return;
  }
  const { gated, all, authorisers } = tierDemands(draft, slots);
  const pin = all.pin || credential?.pinRequired === true || floodLocked;
  if (!pin && !all.reasonCode && gated.length === 0) {
    succeeded();
    draft.record({ type: 'access.granted', data: { ...badgeRef, slots } });
    draft.openSession(holder, decision.credentialId, slots, { keysOut: loans.length, ...limit });
    return;
  }
  if (pin && credential?.hasPin !== true) {
    draft.record({ type: 'access.denied', data: { reason: 'pin_not_set', ...badgeRef } });
    draft.effects.push({ kind: 'signal', signal: 'denied' });
    return;
  }
  draft.pending = {
    stage: pin ? 'pin' : all.reasonCode ? 'reason_code' : 'authorisers',
    ...badgeRef,
    slots: slots.filter((s) => !gated.includes(s)),
    gated,
    requirements: { ...authorisers, pin, reasonCode: all.reasonCode },
    reasonCode: null,
    authorisation: null,
    expiresAt: draft.now + policy.entryMs,
    keysOut: loans.length,
    ...limit,
    wrongPins: credential?.wrongPins ?? 0,
  };
  if (draft.pending.stage === 'authorisers') proceed(draft, draft.pending);
  else draft.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
}

/**
 * Whether a lockout refuses the badge before the policy is asked: its credential's own, or the
 * reader's after a flood of unknown cards (src/domain/card-flood.ts). The reader's refuses
 * unknown cards and card-only credentials: a card number found by guessing must not open the
 * cabinet during the lockout meant to stop that. A known card with a PIN gets in with its PIN.
 */
function refusedByLockout(
  draft: StepDraft,
  credential: Credential | undefined,
  subject: LockoutSubject,
  masked: string,
  floodLocked: boolean,
): boolean {
  // Each card's first refusal in a lockout is recorded; its repeats are counted in the
  // lockout's `lockout.ended` (or `lockout.cleared`), so injected frames cannot flood the outbox.
  const refuse = (lock: LockoutSubject, known: Credential) => {
    const refused = refuseDuringLock(draft.lockouts, lock, known.id);
    draft.lockouts = refused.book;
    if (refused.record) {
      const ids = { holderId: known.holderId, credentialId: known.id };
      draft.record({ type: 'access.denied', data: { reason: 'locked_out', card: masked, ...ids } });
    }
    draft.effects.push({ kind: 'signal', signal: 'denied' });
    return true;
  };
  if (credential && isLocked(draft.lockouts, subject, draft.now))
    return refuse(subject, credential);
  if (floodLocked && !credential && draft.cardFlood) {
    draft.cardFlood = floodCardSeen(draft.cardFlood, draft.now, true);
    draft.effects.push({ kind: 'signal', signal: 'denied' });
    return true;
  }
  if (floodLocked && credential?.hasPin !== true) {
    if (credential) return refuse({ kind: 'reader' }, credential);
    // An unknown card while the reader is locked but no flood is tracked (a lockout restored
    // at start): refused, and counted with the lockout like the flood's.
    draft.lockouts = countRefusedUnknown(draft.lockouts);
    draft.effects.push({ kind: 'signal', signal: 'denied' });
    return true;
  }
  return false;
}

/** The policy said no: recorded, and counted towards a lockout when the reason may be a guess. */
function denyBadge(
  draft: StepDraft,
  decision: AccessDecision,
  masked: string,
  subject: LockoutSubject,
): void {
  const reason = decision.granted ? 'unknown_card' : decision.reason;
  const data: Extract<NewEvent, { type: 'access.denied' }>['data'] = { reason, card: masked };
  if (!decision.granted && decision.holderId !== undefined) data.holderId = decision.holderId;
  if (!decision.granted && decision.credentialId !== undefined)
    data.credentialId = decision.credentialId;
  draft.record({ type: 'access.denied', data });
  draft.effects.push({ kind: 'signal', signal: 'denied' });
  if (countsTowardsLockout(reason)) countDenial(draft, subject);
}

/** The PIN's outcome, checked by the shell against the credential's slow hash. */
export function pinEntered(draft: StepDraft, credentialId: number, outcome: PinOutcome): void {
  const pending = draft.pending;
  if (pending?.stage !== 'pin' || pending.credentialId !== credentialId) return;
  if (draft.now >= pending.expiresAt) {
    abandonPending(draft, 'entry_timeout');
    return;
  }
  const ids = { credentialId, holderId: pending.holderId };
  if (outcome === 'wrong') {
    abandonPending(draft, 'wrong_pin');
    wrongPinCounted(draft, ids, pending.wrongPins);
    countDenial(draft, { kind: 'credential', ...ids });
    return;
  }
  rightPinTyped(draft, ids, pending.wrongPins);
  if (outcome === 'duress') {
    // Silent: recorded for the central server; nothing at the cabinet differs from a grant.
    const { holderId, holderName } = pending;
    draft.record({ type: 'alarm.duress', data: { holderId, holderName, credentialId } });
  }
  if (pending.requirements.reasonCode) {
    const entryMs = policySettings(draft.ctx.settings).entryMs;
    draft.pending = { ...pending, stage: 'reason_code', expiresAt: draft.now + entryMs };
    draft.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
    return;
  }
  proceed(draft, pending);
}

export function reasonCodeEntered(draft: StepDraft, code: string): void {
  const pending = draft.pending;
  if (pending?.stage !== 'reason_code') return;
  if (draft.now >= pending.expiresAt) {
    abandonPending(draft, 'entry_timeout');
    return;
  }
  if (!draft.ctx.directory.reasonCodeAccepted(code)) {
    abandonPending(draft, 'reason_code_refused');
    return;
  }
  proceed(draft, { ...pending, reasonCode: code });
}

/** The keypad's clear key: the entry in progress, if any, ends as cancelled. */
export function cancelEntry(draft: StepDraft): void {
  if (draft.pending) abandonPending(draft, 'entry_cancelled');
}

/** The holder's own entries are made: release what needs nobody else, ask for authorisers. */
function proceed(draft: StepDraft, pending: PendingBadge): void {
  const { holderId, holderName, credentialId, card } = pending;
  draft.lockouts = forget(draft.lockouts, { kind: 'credential', credentialId, holderId });
  const reason = pending.reasonCode === null ? {} : { reasonCode: pending.reasonCode };
  const holder = { id: holderId, name: holderName };
  if (pending.gated.length === 0 || pending.requirements.authorisers === 0) {
    draft.pending = null;
    const slots = [...pending.slots, ...pending.gated].sort((a, b) => a - b);
    draft.record({
      type: 'access.granted',
      data: { holderId, holderName, credentialId, card, slots, ...reason },
    });
    draft.openSession(holder, credentialId, slots, pendingLoans(pending));
    return;
  }
  const { authorisers: required, authoriserGroupIds: groupIds } = pending.requirements;
  const windowMs = policySettings(draft.ctx.settings).authorisationWindowMs;
  const authorisation = startAuthorisation(
    { holderId, credentialId, slots: pending.gated, required, groupIds },
    draft.now,
    windowMs,
  );
  draft.pending = { ...pending, stage: 'authorisers', authorisation };
  draft.record({
    type: 'authorisation.requested',
    data: {
      holderId,
      holderName,
      slots: pending.gated,
      required,
      groupIds,
      windowSeconds: windowMs / 1000,
    },
  });
  if (pending.slots.length === 0) {
    draft.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
    return;
  }
  draft.record({
    type: 'access.granted',
    data: {
      holderId,
      holderName,
      credentialId,
      card,
      slots: pending.slots,
      withheld: pending.gated,
      ...reason,
    },
  });
  draft.openSession(holder, credentialId, pending.slots, pendingLoans(pending));
}

/** Whether the entry or authorisation in progress has run out of time. */
export function pendingLapsed(draft: StepDraft): boolean {
  const pending = draft.pending;
  if (!pending) return false;
  return pending.authorisation
    ? authorisationExpired(pending.authorisation, draft.now)
    : draft.now >= pending.expiresAt;
}

/** Ends the entry in progress with a denial naming why. */
export function abandonPending(draft: StepDraft, reason: BadgeDenialReason): void {
  const pending = draft.pending;
  if (!pending) return;
  draft.pending = null;
  const { holderId, holderName, credentialId, card } = pending;
  if (pending.stage === 'authorisers' && pending.authorisation) {
    draft.record({
      type: 'authorisation.expired',
      data: {
        holderId,
        holderName,
        slots: pending.gated,
        authorisers: pending.authorisation.authorisers,
      },
    });
    if (reason === 'entry_timeout') {
      draft.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
  }
  draft.record({ type: 'access.denied', data: { reason, holderId, credentialId, card } });
  draft.effects.push({ kind: 'signal', signal: 'denied' });
}
