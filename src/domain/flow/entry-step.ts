import { maskCard } from '../mask-card.js';
import { decideAccess } from '../access-decision.js';
import { type PendingBadge, policySettings } from '../cabinet-state.js';
import type { BadgeDenialReason } from '../denial-reason.js';
import {
  authorisationExpired,
  type AuthorisationRefusal,
  offerAuthoriser,
  startAuthorisation,
} from '../dual-authorisation.js';
import { forget, isLocked, type LockoutSubject } from '../lockout.js';
import type { Credential, Holder } from '../model.js';
import type { PinOutcome } from '../pin.js';
import { policyInputsOf } from '../policy/policy-inputs.js';
import { StepCore } from './step-core.js';

/**
 * A badge that waits for more before anything opens: the PIN, the reason code, and the further
 * holders of the two- and three-person rule (rules 5–7 of the policy).
 */
export abstract class EntryStep extends StepCore {
  hasPending(): boolean {
    return this.pending !== null;
  }

  /** Whether the entry or authorisation in progress has run out of time. */
  protected pendingLapsed(): boolean {
    const pending = this.pending;
    if (!pending) return false;
    return pending.authorisation
      ? authorisationExpired(pending.authorisation, this.now)
      : this.now >= pending.expiresAt;
  }

  /** The PIN's outcome, checked by the shell against the credential's slow hash. */
  pinEntered(credentialId: number, outcome: PinOutcome): void {
    const pending = this.pending;
    if (pending?.stage !== 'pin' || pending.credentialId !== credentialId) return;
    if (this.now >= pending.expiresAt) {
      this.abandonPending('entry_timeout');
      return;
    }
    if (outcome === 'wrong') {
      this.abandonPending('wrong_pin');
      this.countDenial({ kind: 'credential', credentialId, holderId: pending.holderId });
      return;
    }
    if (outcome === 'duress') {
      // Silent: recorded for the central server; nothing at the cabinet differs from a grant.
      const { holderId, holderName } = pending;
      this.record({ type: 'alarm.duress', data: { holderId, holderName, credentialId } });
    }
    if (pending.requirements.reasonCode) {
      const entryMs = policySettings(this.ctx.settings).entryMs;
      this.pending = { ...pending, stage: 'reason_code', expiresAt: this.now + entryMs };
      this.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
      return;
    }
    this.proceed(pending);
  }

  reasonCodeEntered(code: string): void {
    const pending = this.pending;
    if (pending?.stage !== 'reason_code') return;
    if (this.now >= pending.expiresAt) {
      this.abandonPending('entry_timeout');
      return;
    }
    if (!this.ctx.directory.reasonCodeAccepted(code)) {
      this.abandonPending('reason_code_refused');
      return;
    }
    this.proceed({ ...pending, reasonCode: code });
  }

  /** The holder's own entries are made: release what needs nobody else, ask for authorisers. */
  protected proceed(pending: PendingBadge): void {
    const { holderId, holderName, credentialId, card } = pending;
    this.lockouts = forget(this.lockouts, { kind: 'credential', credentialId, holderId });
    const reason = pending.reasonCode === null ? {} : { reasonCode: pending.reasonCode };
    const holder = { id: holderId, name: holderName };
    const session = { keysOut: pending.keysOut, ...maxOf(pending) };
    if (pending.gated.length === 0 || pending.requirements.authorisers === 0) {
      this.pending = null;
      const slots = [...pending.slots, ...pending.gated].sort((a, b) => a - b);
      this.record({
        type: 'access.granted',
        data: { holderId, holderName, credentialId, card, slots, ...reason },
      });
      this.openSession(holder, credentialId, slots, session);
      return;
    }
    const { authorisers: required, authoriserGroupIds: groupIds } = pending.requirements;
    const windowMs = policySettings(this.ctx.settings).authorisationWindowMs;
    const authorisation = startAuthorisation(
      { holderId, credentialId, slots: pending.gated, required, groupIds },
      this.now,
      windowMs,
    );
    this.pending = { ...pending, stage: 'authorisers', authorisation };
    this.record({
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
      this.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
      return;
    }
    this.record({
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
    this.openSession(holder, credentialId, pending.slots, session);
  }

  /** A badge offered as the second (or third) person for the release that waits. */
  protected authoriserBadge(card: string): void {
    const pending = this.pending;
    const authorisation = pending?.authorisation;
    if (!pending || !authorisation) return;
    const { directory } = this.ctx;
    const credential = directory.credentialByCard(card);
    const holder = credential ? directory.holder(credential.holderId) : undefined;
    const taker = { holderId: pending.holderId, holderName: pending.holderName };
    const refuse = (
      reason: AuthorisationRefusal,
      extra: { authoriserId?: number; card?: string },
    ) => {
      this.record({ type: 'authorisation.refused', data: { ...taker, reason, ...extra } });
      this.effects.push({ kind: 'signal', signal: 'denied' });
    };
    if (!credential || !holder) {
      refuse('not_authorised', { card: maskCard(card) });
      this.countDenial({ kind: 'reader' });
      return;
    }
    const outcome = offerAuthoriser(
      authorisation,
      {
        holderId: holder.id,
        groupIds: directory.groupsOf(holder.id),
        admitted: this.admitsAuthoriser(credential, holder, pending),
      },
      this.now,
    );
    if (outcome.kind === 'refused') {
      refuse(outcome.reason, { authoriserId: holder.id });
      return;
    }
    const next = outcome.pending;
    this.record({
      type: 'authorisation.given',
      data: {
        ...taker,
        authoriser: { holderId: holder.id, holderName: holder.name },
        given: next.authorisers.length,
        required: next.required,
      },
    });
    if (outcome.kind === 'waiting') {
      this.pending = { ...pending, authorisation: next };
      this.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
      return;
    }
    this.pending = null;
    // Only the gated keys: the taker's own misplaced keys came with their first release.
    const slots = this.releasable(
      pending.gated.map((s) => this.keyIn(s)?.homeSlot ?? s),
      null,
    );
    const authorisers = next.authorisers.map((id) => ({
      holderId: id,
      holderName: directory.holder(id)?.name ?? '',
    }));
    this.record({
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
    const session = this.session;
    if (session?.holderId === pending.holderId) {
      // The taker's session for the other keys is still open: add these and restart its time.
      this.session = {
        ...session,
        slots: [...session.slots, ...slots],
        endsAt: this.now + this.ctx.settings.sessionMs,
      };
      this.releaseForSession(slots);
      this.effects.push({ kind: 'door', unlocked: true });
      this.effects.push({ kind: 'signal', signal: 'granted' });
    } else {
      if (session) this.endSession();
      this.openSession(
        { id: pending.holderId, name: pending.holderName },
        pending.credentialId,
        slots,
        { keysOut: pending.keysOut, ...maxOf(pending) },
      );
    }
  }

  /**
   * Who may be a second person: someone the policy admits now (valid, enabled, not locked out)
   * who either belongs to the groups the tier names or, when it names none, may take these
   * keys themselves.
   */
  protected admitsAuthoriser(
    credential: Credential,
    holder: Holder,
    pending: PendingBadge,
  ): boolean {
    const subject: LockoutSubject = {
      kind: 'credential',
      credentialId: credential.id,
      holderId: holder.id,
    };
    if (isLocked(this.lockouts, subject, this.now)) return false;
    const { directory } = this.ctx;
    const decision = decideAccess({
      credential,
      holder,
      permissions: directory.permissionsOf(holder.id),
      keysOut: 0,
      nowMs: this.ctx.clock.wallMs(),
      policy: policyInputsOf(directory, holder.id, this.ctx.timeZone ?? 'UTC'),
      lockdown: this.lockdown,
    });
    if (pending.requirements.authoriserGroupIds.length > 0) {
      return decision.granted || COVERAGE_ONLY.has(decision.reason);
    }
    return decision.granted && pending.gated.every((s) => decision.slots.includes(s));
  }

  /** Ends the entry in progress with a denial naming why. */
  abandonPending(reason: BadgeDenialReason): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    const { holderId, holderName, credentialId, card } = pending;
    if (pending.stage === 'authorisers' && pending.authorisation) {
      this.record({
        type: 'authorisation.expired',
        data: {
          holderId,
          holderName,
          slots: pending.gated,
          authorisers: pending.authorisation.authorisers,
        },
      });
      if (reason === 'entry_timeout') {
        this.effects.push({ kind: 'signal', signal: 'denied' });
        return;
      }
    }
    this.record({ type: 'access.denied', data: { reason, holderId, credentialId, card } });
    this.effects.push({ kind: 'signal', signal: 'denied' });
  }
}

/** Denials that say the holder may take nothing now, not that they are not who they claim. */
const COVERAGE_ONLY: ReadonlySet<string> = new Set([
  'nothing_permitted',
  'outside_schedule',
  'permission_expired',
  'permission_not_yet_valid',
  'key_unavailable',
]);

function maxOf(pending: PendingBadge): { maxKeysOut?: number } {
  return pending.maxKeysOut === undefined ? {} : { maxKeysOut: pending.maxKeysOut };
}
