import { maskCard } from '../mask-card.js';
import { decideAccess, decideRemoteRelease } from '../access-decision.js';
import { policySettings } from '../cabinet-state.js';
import { countsTowardsLockout } from '../denial-reason.js';
import { authorisationExpired } from '../dual-authorisation.js';
import type { NewEvent } from '../events.js';
import { requirementsFor } from '../key-tiers.js';
import { openLoan, takeRefusal } from '../loans.js';
import { floodCardSeen } from '../card-flood.js';
import { forget, isLocked, type LockoutSubject } from '../lockout.js';
import { policyInputsOf } from '../policy/policy-inputs.js';
import { EntryStep } from './entry-step.js';

/** Who gets in: a badge at the reader, or the central server's `release` for one slot. */
export abstract class AccessStep extends EntryStep {
  badge(card: string): void {
    // While a two- or three-person release waits, a badge is offered as the next authoriser.
    const waiting = this.pending?.authorisation;
    if (waiting && !authorisationExpired(waiting, this.now)) {
      this.authoriserBadge(card);
      return;
    }
    // A badge replaces an entry in progress (someone else stepped up, or the holder restarts).
    if (this.pending) {
      this.abandonPending(this.pendingLapsed() ? 'entry_timeout' : 'entry_cancelled');
    }
    // One person at a time: a new badge closes whatever session was open.
    if (this.session) this.endSession();
    const { directory } = this.ctx;
    const credential = directory.credentialByCard(card);
    const holder = credential ? directory.holder(credential.holderId) : undefined;
    const masked = maskCard(card);
    const subject: LockoutSubject = credential
      ? { kind: 'credential', credentialId: credential.id, holderId: credential.holderId }
      : { kind: 'reader' };
    const ids = credential ? { holderId: credential.holderId, credentialId: credential.id } : {};
    const refuse = () => {
      this.record({ type: 'access.denied', data: { reason: 'locked_out', card: masked, ...ids } });
      this.effects.push({ kind: 'signal', signal: 'denied' });
    };
    if (credential && isLocked(this.lockouts, subject, this.now)) {
      refuse();
      return;
    }
    // A reader locked by unknown cards (src/domain/card-flood.ts) refuses unknown cards and
    // card-only credentials: a card number found by guessing must not open the cabinet during
    // the lockout meant to stop that. A known card with a PIN gets in with its PIN.
    const floodLocked = isLocked(this.lockouts, { kind: 'reader' }, this.now);
    if (floodLocked && !credential && this.cardFlood) {
      this.cardFlood = floodCardSeen(this.cardFlood, this.now, true);
      this.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
    if (floodLocked && credential?.hasPin !== true) {
      refuse();
      return;
    }
    // Read once: the decision counts them, the take rules below look at their due times.
    const loans = holder ? directory.openLoansOf(holder.id) : [];
    const decision = decideAccess({
      credential,
      holder,
      permissions: holder ? directory.permissionsOf(holder.id) : [],
      keysOut: loans.length,
      nowMs: this.ctx.clock.wallMs(),
      policy: holder ? policyInputsOf(directory, holder.id, this.ctx.timeZone ?? 'UTC') : undefined,
      lockdown: this.lockdown,
    });
    if (!decision.granted || !holder) {
      const reason = decision.granted ? 'unknown_card' : decision.reason;
      const data: Extract<NewEvent, { type: 'access.denied' }>['data'] = { reason, card: masked };
      if (!decision.granted && decision.holderId !== undefined) data.holderId = decision.holderId;
      if (!decision.granted && decision.credentialId !== undefined)
        data.credentialId = decision.credentialId;
      this.record({ type: 'access.denied', data });
      this.effects.push({ kind: 'signal', signal: 'denied' });
      if (countsTowardsLockout(reason)) this.countDenial(subject);
      return;
    }
    // A success forgets earlier denials, but only once the whole entry has succeeded: a badge
    // that still waits for its PIN must not wipe the count of wrong PINs before it.
    const succeeded = () => (this.lockouts = forget(this.lockouts, subject));
    const slots = this.releasable(decision.slots, holder.id);
    const policy = policySettings(this.ctx.settings);
    const maxKeysOut = holder.maxKeysOut ?? policy.maxKeysOut;
    const limit = maxKeysOut === undefined ? {} : { maxKeysOut };
    const ref = { holderId: holder.id, holderName: holder.name };
    const badgeRef = { ...ref, credentialId: decision.credentialId, card: masked };
    const refusal =
      slots.length === 0
        ? null
        : takeRefusal(loans.map(openLoan), this.ctx.clock.wallMs(), {
            ...limit,
            overdueBlocksTaking: policy.overdueBlocksTaking,
          });
    if (refusal) {
      // Returning stays possible: a holder with keys out gets the door, and nothing to take.
      if (loans.length === 0) {
        this.record({ type: 'access.denied', data: { reason: refusal, ...badgeRef } });
        this.effects.push({ kind: 'signal', signal: 'denied' });
        return;
      }
      succeeded();
      this.record({
        type: 'access.granted',
        data: { ...badgeRef, slots: [], takeRefused: refusal },
      });
      this.openSession(holder, decision.credentialId, [], { keysOut: loans.length, ...limit });
      return;
    }
    const rules = directory.tierRules();
    // One directory read per released slot, not one per use below.
    const tiers = new Map(slots.map((s) => [s, this.keyIn(s)?.tier ?? 'none'] as const));
    const tierOf = (slot: number) => tiers.get(slot) ?? 'none';
    const gated = slots.filter((s) => rules[tierOf(s)].authorisers > 0);
    const all = requirementsFor(slots.map(tierOf), rules);
    const authorisers = requirementsFor(gated.map(tierOf), rules);
    const pin = all.pin || credential?.pinRequired === true || floodLocked;
    if (!pin && !all.reasonCode && gated.length === 0) {
      succeeded();
      this.record({ type: 'access.granted', data: { ...badgeRef, slots } });
      this.openSession(holder, decision.credentialId, slots, { keysOut: loans.length, ...limit });
      return;
    }
    if (pin && credential?.hasPin !== true) {
      this.record({ type: 'access.denied', data: { reason: 'pin_not_set', ...badgeRef } });
      this.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
    this.pending = {
      stage: pin ? 'pin' : all.reasonCode ? 'reason_code' : 'authorisers',
      ...badgeRef,
      slots: slots.filter((s) => !gated.includes(s)),
      gated,
      requirements: { ...authorisers, pin, reasonCode: all.reasonCode },
      reasonCode: null,
      authorisation: null,
      expiresAt: this.now + policy.entryMs,
      keysOut: loans.length,
      ...limit,
    };
    if (this.pending.stage === 'authorisers') this.proceed(this.pending);
    else this.effects.push({ kind: 'signal', signal: 'awaiting_entry' });
  }

  /**
   * The central server's `release`: the holder's own rules decide, for the one slot asked, and
   * a grant opens a session exactly like a badge's (door, that slot if it holds a key, relock).
   */
  remoteRelease(commandId: string, holderId: number, slot: number): void {
    if (this.session) this.endSession();
    const { directory } = this.ctx;
    const holder = directory.holder(holderId);
    const decision = this.validSlot(slot)
      ? decideRemoteRelease({
          holder,
          permissions: holder ? directory.permissionsOf(holder.id) : [],
          slot,
          nowMs: this.ctx.clock.wallMs(),
          policy: holder
            ? policyInputsOf(directory, holder.id, this.ctx.timeZone ?? 'UTC')
            : undefined,
          lockdown: this.lockdown,
        })
      : ({ granted: false, reason: 'nothing_permitted', holderId } as const);
    if (!decision.granted || !holder) {
      const reason = decision.granted ? 'unknown_holder' : decision.reason;
      this.record({ type: 'access.denied', data: { reason, holderId, commandId } });
      this.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
    const slots = this.releasable(decision.slots, holder.id);
    this.record({
      type: 'access.granted',
      data: { holderId: holder.id, holderName: holder.name, slots, commandId },
    });
    this.openSession(holder, null, slots, { keysOut: directory.openLoansOf(holder.id).length });
  }
}
