import { decideAccess, decideRemoteRelease } from './access-decision.js';
import type { CabinetDirectory } from './cabinet-directory.js';
import { alarmSounds } from './alarm-signals.js';
import type {
  CabinetInput,
  Effect,
  EmergencyReleases,
  EmergencySource,
  ReaderName,
} from './cabinet-io.js';
import type {
  ActiveAlarm,
  AlarmType,
  CabinetSettings,
  CabinetState,
  SlotState,
} from './cabinet-state.js';
import {
  doorTimings,
  lockoutSettings,
  policySettings,
  type PendingBadge,
  type Session,
} from './cabinet-state.js';
import { countsTowardsLockout, type BadgeDenialReason } from './denial-reason.js';
import {
  authorisationExpired,
  offerAuthoriser,
  startAuthorisation,
  type AuthorisationRefusal,
} from './dual-authorisation.js';
import { requirementsFor } from './key-tiers.js';
import { loanLimitsFor } from './loan-limits.js';
import { checkOverdue, dueAt, takeRefusal, type OpenLoan } from './loans.js';
import type { PinOutcome } from './pin.js';
import { expiriesBetween } from './policy/expiries.js';
import { dueAtDoor, openDoorWatch, underEmergency } from './door-watch.js';
import { detectSwap, type Swap } from './key-swap.js';
import { reconcile } from './reconciliation.js';
import {
  clearLock,
  countDenial,
  expireLocks,
  forget,
  isLocked,
  subjectKey,
  type LockoutSubject,
} from './lockout.js';
import type { Credential, Holder, Key, Loan } from './model.js';
import { policyInputsOf } from './policy/policy-inputs.js';
import type { Clock } from './clock.js';
import { isAlarm, type Actor, type LockoutRef, type NewEvent } from './events.js';
import { maskCard } from '../log/mask-card.js';

export interface StepResult {
  state: CabinetState;
  effects: Effect[];
}

export interface StepContext {
  settings: CabinetSettings;
  directory: CabinetDirectory;
  clock: Clock;
  /** IANA zone the access schedules are read in (configuration); UTC when absent. */
  timeZone?: string;
}

/**
 * The cabinet flow: one input in, the next state and the effects out. Pure apart from the
 * directory's reads and the clock, both injected. The shell runs effects in order, committing
 * every `record` before any hardware effect of the same step.
 */
export function step(state: CabinetState, input: CabinetInput, ctx: StepContext): StepResult {
  const run = new Step(state, ctx);
  switch (input.kind) {
    case 'badge':
      run.badge(input.card);
      break;
    case 'door':
      run.door(input.open);
      break;
    case 'presence':
      if (run.validSlot(input.slot)) {
        if (input.present) run.present(input.slot);
        else run.departure(input.slot);
      }
      break;
    case 'fob':
      if (run.validSlot(input.slot)) run.fob(input.slot, input.tag);
      break;
    case 'tick':
      run.tick();
      break;
    case 'remote_release':
      run.remoteRelease(input.commandId, input.holderId, input.slot);
      break;
    case 'emergency_start':
      run.emergencyStart(input.source, input.commandId, input.releases);
      break;
    case 'emergency_end':
      run.emergencyEnd(input.source, input.commandId);
      break;
    case 'lockdown_start':
      run.lockdownStart(input.commandId, input.allowHolders, input.allowGroups ?? []);
      break;
    case 'lockdown_end':
      run.lockdownEnd(input.commandId);
      break;
    case 'clear_lockout':
      run.clearLockout(input.actor, input.subject);
      break;
    case 'pin':
      run.pinEntered(input.credentialId, input.outcome);
      break;
    case 'reason_code':
      run.reasonCodeEntered(input.code);
      break;
    case 'entry_cancel':
      if (run.hasPending()) run.abandonPending('entry_cancelled');
      break;
    case 'reconcile':
      run.reconcile();
      break;
    case 'clock_stepped':
      run.clockStepped(input.fromMs, input.toMs);
      break;
    case 'reader':
      run.readerStatus(input.reader, input.online, input.reason);
      break;
    case 'tamper':
      run.tamper(input.active);
      break;
    case 'power':
      run.power(input.failed);
      break;
    default:
      assertNever(input);
  }
  return run.result();
}

class Step {
  private readonly slots: SlotState[];
  private doorState: CabinetState['door'];
  private session: CabinetState['session'];
  private alarms: CabinetState['alarms'];
  private emergency: CabinetState['emergency'];
  private lockdown: CabinetState['lockdown'];
  private lockouts: CabinetState['lockouts'];
  private pending: CabinetState['pending'];
  private overdue: CabinetState['overdue'];
  private expiriesUntil: CabinetState['expiriesUntil'];
  private readonly effects: Effect[] = [];
  private readonly now: number;

  constructor(
    state: CabinetState,
    private readonly ctx: StepContext,
  ) {
    this.slots = [...state.slots];
    this.doorState = state.door;
    this.session = state.session;
    this.alarms = state.alarms;
    this.emergency = state.emergency;
    this.lockdown = state.lockdown;
    this.lockouts = state.lockouts;
    this.pending = state.pending;
    this.overdue = state.overdue;
    this.expiriesUntil = state.expiriesUntil;
    this.now = ctx.clock.monotonicMs();
  }

  result(): StepResult {
    return {
      state: {
        slots: this.slots,
        door: this.doorState,
        session: this.session,
        alarms: this.alarms,
        emergency: this.emergency,
        lockdown: this.lockdown,
        lockouts: this.lockouts,
        pending: this.pending,
        overdue: this.overdue,
        expiriesUntil: this.expiriesUntil,
      },
      effects: this.effects,
    };
  }

  validSlot(slot: number): boolean {
    return Number.isInteger(slot) && slot >= 1 && slot <= this.slots.length;
  }

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
    // A locked reader refuses every card, known ones too: otherwise a card found by trying
    // numbers at random would still open the cabinet during the lockout meant to stop that.
    if (
      isLocked(this.lockouts, { kind: 'reader' }, this.now) ||
      isLocked(this.lockouts, subject, this.now)
    ) {
      const ids = credential ? { holderId: credential.holderId, credentialId: credential.id } : {};
      this.record({ type: 'access.denied', data: { reason: 'locked_out', card: masked, ...ids } });
      this.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
    const decision = decideAccess({
      credential,
      holder,
      permissions: holder ? directory.permissionsOf(holder.id) : [],
      keysOut: holder ? directory.openLoansOf(holder.id).length : 0,
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
    const slots = this.releasable(decision.slots);
    const loans = directory.openLoansOf(holder.id);
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
    const tierOf = (slot: number) => this.keyIn(slot)?.tier ?? 'none';
    const gated = slots.filter((s) => rules[tierOf(s)].authorisers > 0);
    const all = requirementsFor(slots.map(tierOf), rules);
    const authorisers = requirementsFor(gated.map(tierOf), rules);
    const pin = all.pin || credential?.pinRequired === true;
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

  hasPending(): boolean {
    return this.pending !== null;
  }

  /** Whether the entry or authorisation in progress has run out of time. */
  private pendingLapsed(): boolean {
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
  private proceed(pending: PendingBadge): void {
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
  private authoriserBadge(card: string): void {
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
    const slots = this.releasable(pending.gated.map((s) => this.keyIn(s)?.homeSlot ?? s));
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
  private admitsAuthoriser(credential: Credential, holder: Holder, pending: PendingBadge): boolean {
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

  /**
   * The slots to release for a set of permitted home slots: wherever each permitted key is now
   * (a key returned to any slot is released from there), and a permitted slot with no key on
   * record if something is in it. Only slots that hold something: an empty slot has nothing
   * to give.
   */
  private releasable(permitted: readonly number[]): number[] {
    const wanted = new Set(permitted);
    const slots: number[] = [];
    this.slots.forEach((state, i) => {
      // A key in the wrong slot is not in stock: its own release lets it be moved home.
      if (!state.occupied || state.release?.reason === 'wrong_slot') return;
      const key = this.keyIn(i + 1);
      if (key && key.homeSlot !== i + 1 && key.returnPolicy !== 'any') return;
      if (wanted.has(key ? key.homeSlot : i + 1)) slots.push(i + 1);
    });
    return slots;
  }

  /** The key in a slot: the one its fob reads, else the one whose home it is. */
  private keyIn(slot: number): Key | undefined {
    const { tag } = this.slot(slot);
    const { directory } = this.ctx;
    return tag === null ? directory.keyByHomeSlot(slot) : directory.keyByTag(tag);
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
    const slots = this.releasable(decision.slots);
    this.record({
      type: 'access.granted',
      data: { holderId: holder.id, holderName: holder.name, slots, commandId },
    });
    this.openSession(holder, null, slots, { keysOut: directory.openLoansOf(holder.id).length });
  }

  /**
   * Emergency release (evacuation, fire): the door unlocks and every slot releases, each pulse
   * renewed at `tick` because the driver cuts every pulse at the solenoid's maximum on-time.
   * One emergency at a time: a second start changes nothing, and only the source that started
   * it may end it (a command must not end an emergency a fire-alarm input still declares).
   */
  emergencyStart(
    source: EmergencySource,
    commandId: string | undefined,
    asked: EmergencyReleases | undefined,
  ): void {
    if (this.emergency) return;
    const pulseMs = this.ctx.settings.wrongSlotPulseMs;
    const ref = commandId === undefined ? {} : { commandId };
    const releases = asked ?? 'door_and_slots';
    this.emergency = { source, ...ref, releases, renewAt: this.now + pulseMs };
    this.record({
      type: 'emergency.started',
      data: { source, ...ref, ...(asked === undefined ? {} : { releases }) },
    });
    const watch = this.doorState.watch;
    if (watch) this.doorState = { ...this.doorState, watch: underEmergency(watch) };
    this.releaseAllForEmergency(pulseMs);
  }

  /** The tamper switch: `cabinet.tamper` while active, cleared when it returns to normal. */
  tamper(active: boolean): void {
    const raised = this.alarms.some((a) => a.type === 'cabinet.tamper');
    if (active && !raised) this.record({ type: 'cabinet.tamper', data: {} });
    else if (!active && raised) this.clearAlarm('cabinet.tamper');
  }

  /** The power-fail input: `power.failed` while lost; `power.restored` and the clearing after. */
  power(failed: boolean): void {
    const raised = this.alarms.some((a) => a.type === 'power.failed');
    if (failed && !raised) this.record({ type: 'power.failed', data: {} });
    else if (!failed && raised) {
      this.record({ type: 'power.restored', data: {} });
      this.clearAlarm('power.failed');
    }
  }

  /** Whether an emergency in force holds the slots released (not only the door). */
  private emergencyHoldsSlots(): boolean {
    return this.emergency?.releases === 'door_and_slots';
  }

  emergencyEnd(source: EmergencySource, commandId: string | undefined): void {
    if (!this.emergency || this.emergency.source !== source) return;
    this.emergency = null;
    this.record({
      type: 'emergency.ended',
      data: { source, ...(commandId === undefined ? {} : { commandId }) },
    });
    // Slots with a release of their own (a session, a wrong-slot fob) keep it.
    this.slots.forEach((s, i) => {
      if (s.release === null) this.effects.push({ kind: 'lock', slot: i + 1 });
    });
    if (!this.session) this.effects.push({ kind: 'door', unlocked: false });
  }

  /**
   * Lockdown: from now every badge is denied (reason `lockdown`) except the listed holders'. An
   * open session of anyone else ends at once. A lockdown while one is in force replaces it.
   * It does not undo an emergency release: evacuation comes first.
   */
  lockdownStart(commandId: string, allowHolders: number[], allowGroups: number[]): void {
    const allowed = [...new Set(allowHolders)].sort((a, b) => a - b);
    const groups = [...new Set(allowGroups)].sort((a, b) => a - b);
    const withGroups = groups.length === 0 ? {} : { allowGroups: groups };
    this.lockdown = { commandId, allowHolders: allowed, ...withGroups };
    this.record({
      type: 'lockdown.started',
      data: { commandId, allowHolders: allowed, ...withGroups },
    });
    const session = this.session;
    const admitted = (holderId: number) =>
      allowed.includes(holderId) ||
      this.ctx.directory.groupsOf(holderId).some((g) => groups.includes(g));
    if (session && !admitted(session.holderId)) this.endSession();
  }

  lockdownEnd(commandId: string): void {
    if (!this.lockdown) return;
    this.lockdown = null;
    this.record({ type: 'lockdown.ended', data: { commandId } });
  }

  /** A custodian lifts a lockout early; the escalation level stays, so the next one is longer. */
  clearLockout(actor: Actor, subject: LockoutSubject): void {
    const known = this.lockouts[subjectKey(subject)]?.subject ?? subject;
    const next = clearLock(this.lockouts, subject);
    if (next === this.lockouts) return;
    this.lockouts = next;
    this.record({ type: 'lockout.cleared', data: { ...lockoutRef(known), actor } });
  }

  /** Each difference between the slots and the loans becomes an event (reconciliation.ts). */
  reconcile(): void {
    for (const d of reconcile(this.slots, this.alarms, this.ctx.directory)) {
      const keyRef = { keyId: d.key.id, keyLabel: d.key.label, slot: d.slot };
      if (d.kind === 'missing') {
        this.record({ type: 'key.missing', data: keyRef });
        continue;
      }
      this.record({
        type: 'key.returned_unrecorded',
        data: {
          ...keyRef,
          holderId: d.loan.holderId,
          holderName: this.ctx.directory.holder(d.loan.holderId)?.name ?? '',
          outAt: new Date(d.loan.outAtMs).toISOString(),
        },
      });
    }
  }

  /**
   * Only recorded: every timer runs on the monotonic clock, so none fires, stretches or is cut,
   * and schedules read the wall clock afresh at each decision.
   */
  clockStepped(fromMs: number, toMs: number): void {
    // Whole milliseconds: the monotonic clock has fractions, and a record takes only integers.
    const from = Math.round(fromMs);
    const to = Math.round(toMs);
    this.record({
      type: 'clock.stepped',
      data: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        deltaMs: to - from,
      },
    });
  }

  /**
   * A reader went away or came back. One alarm per reader and outage: `reader.offline` while it
   * is away, `reader.online` and `alarm.cleared` when it is back. A reader online from the
   * start says nothing.
   */
  readerStatus(reader: ReaderName, online: boolean, reason: string | undefined): void {
    const away = this.alarms.some((a) => a.type === 'reader.offline' && a.reader === reader);
    if (!online && !away) {
      this.record({ type: 'reader.offline', data: { reader, reason: reason ?? 'unknown' } });
    } else if (online && away) {
      this.record({ type: 'reader.online', data: { reader } });
      this.clearAlarm('reader.offline', undefined, reader);
    }
  }

  private countDenial(subject: LockoutSubject): void {
    const outcome = countDenial(
      this.lockouts,
      subject,
      this.now,
      lockoutSettings(this.ctx.settings),
    );
    this.lockouts = outcome.book;
    if (!outcome.locked) return;
    this.record({
      type: 'lockout.started',
      data: {
        ...lockoutRef(subject),
        attempts: outcome.attempts,
        level: outcome.level,
        durationSeconds: outcome.lockMs / 1000,
      },
    });
  }

  private openSession(
    holder: Pick<Holder, 'id' | 'name'>,
    credentialId: number | null,
    slots: number[],
    loans: { keysOut: number; maxKeysOut?: number },
  ): void {
    const { sessionMs } = this.ctx.settings;
    this.session = {
      holderId: holder.id,
      holderName: holder.name,
      credentialId,
      slots,
      endsAt: this.now + sessionMs,
      doorOpened: false,
      ...loans,
    };
    this.effects.push({ kind: 'door', unlocked: true });
    this.releaseForSession(slots);
    this.effects.push({ kind: 'signal', signal: 'granted' });
  }

  private releaseForSession(slots: readonly number[]): void {
    const { sessionMs } = this.ctx.settings;
    for (const slot of slots) {
      this.setSlot(slot, { release: { reason: 'session', until: this.now + sessionMs } });
      this.effects.push({ kind: 'release', slot, ms: sessionMs });
    }
  }

  private releaseAllForEmergency(pulseMs: number): void {
    // The door output has no on-time limit; asserting it with every pulse puts it back if the
    // shell's fail-secure path dropped it.
    this.effects.push({ kind: 'door', unlocked: true });
    if (!this.emergencyHoldsSlots()) return;
    this.slots.forEach((_, i) => this.effects.push({ kind: 'release', slot: i + 1, ms: pulseMs }));
  }

  door(open: boolean): void {
    if (open === this.doorState.open) return;
    if (open) {
      // During an emergency release the door is unlocked: opening it is expected. Without a
      // grant it is forced, once it stays open past the debounce (watchDoor, at each tick).
      const watch = openDoorWatch(
        this.now,
        { granted: this.session !== null, emergency: this.emergency !== null },
        doorTimings(this.ctx.settings),
      );
      this.doorState = { open, watch };
      if (this.session) this.session = { ...this.session, doorOpened: true };
      this.watchDoor();
    } else {
      this.doorState = { open };
      this.clearAlarm('door.forced');
      this.clearAlarm('door.held_open');
      // Closing the door after using it ends the visit: relock at once, not at the timeout.
      if (this.session?.doorOpened) this.endSession();
    }
  }

  /** The door alarms' timers (src/domain/door-watch.ts), on the monotonic clock. */
  private watchDoor(): void {
    const watch = this.doorState.watch;
    if (!watch) return;
    const timings = doorTimings(this.ctx.settings);
    const next = dueAtDoor(watch, this.now, timings);
    if (next.watch !== watch) this.doorState = { ...this.doorState, watch: next.watch };
    for (const due of next.due) {
      if (due === 'pre_alarm') this.effects.push({ kind: 'signal', signal: 'pre_alarm' });
      else if (due === 'door.forced') this.record({ type: 'door.forced', data: {} });
      else
        this.record({
          type: 'door.held_open',
          // Whole seconds, as configured (a record takes only integers).
          data: { heldOpenSeconds: Math.round(timings.heldOpenMs / 1000) },
        });
    }
  }

  tick(): void {
    if (this.pendingLapsed()) this.abandonPending('entry_timeout');
    this.checkOverdue();
    this.recordExpiries();
    this.watchDoor();
    const expired = expireLocks(this.lockouts, this.now);
    this.lockouts = expired.book;
    for (const subject of expired.ended) {
      this.record({ type: 'lockout.ended', data: lockoutRef(subject) });
    }
    if (this.session && this.now >= this.session.endsAt) this.endSession();
    // A wrong-slot fob must stay removable until it is moved; the driver cuts every pulse at the
    // solenoid's maximum on-time, so the release is renewed pulse by pulse.
    const pulseMs = this.ctx.settings.wrongSlotPulseMs;
    this.slots.forEach((s, i) => {
      if (s.release?.reason === 'wrong_slot' && this.now >= s.release.until) {
        this.setSlot(i + 1, { release: { reason: 'wrong_slot', until: this.now + pulseMs } });
        this.effects.push({ kind: 'release', slot: i + 1, ms: pulseMs });
      }
    });
    if (this.emergency && this.now >= this.emergency.renewAt) {
      this.emergency = { ...this.emergency, renewAt: this.now + pulseMs };
      this.releaseAllForEmergency(pulseMs);
    }
  }

  /** Loans past their due time: `key.overdue` once, then reminders until the key is back. */
  private checkOverdue(): void {
    const { directory } = this.ctx;
    const loans = directory.openLoans();
    if (loans.length === 0 && Object.keys(this.overdue).length === 0) return;
    const { overdueReminderMs } = policySettings(this.ctx.settings);
    // Announced before a restart: not again, only reminded.
    const book: Record<number, number> = { ...this.overdue };
    for (const loan of loans) {
      if (loan.overdueAnnounced && book[loan.keyId] === undefined) {
        book[loan.keyId] = this.now + overdueReminderMs;
      }
    }
    const wallNow = this.ctx.clock.wallMs();
    const check = checkOverdue(book, loans.map(openLoan), wallNow, this.now, {
      reminderMs: overdueReminderMs,
    });
    this.overdue = check.book;
    const refOf = (keyId: number) => {
      const loan = loans.find((l) => l.keyId === keyId);
      const key = directory.keyById(keyId);
      if (!loan || !key || loan.dueAtMs == null) return undefined;
      return {
        keyId,
        keyLabel: key.label,
        holderId: loan.holderId,
        holderName: directory.holder(loan.holderId)?.name ?? '',
        slot: key.homeSlot,
        outAt: new Date(loan.outAtMs).toISOString(),
        dueAt: new Date(loan.dueAtMs).toISOString(),
      };
    };
    for (const loan of check.overdue) {
      const data = refOf(loan.keyId);
      if (data) this.record({ type: 'key.overdue', data });
    }
    for (const loan of check.reminders) {
      const data = refOf(loan.keyId);
      if (!data) continue;
      const overdueMinutes = Math.floor((wallNow - Date.parse(data.dueAt)) / 60_000);
      this.record({ type: 'key.overdue_reminder', data: { ...data, overdueMinutes } });
    }
  }

  /** Validity windows that ended since the last tick, each recorded at its instant (rule 3). */
  private recordExpiries(): void {
    const wallNow = this.ctx.clock.wallMs();
    const since = this.expiriesUntil;
    if (since !== null && wallNow <= since) return; // a clock stepped back reports nothing twice
    this.expiriesUntil = wallNow;
    if (since === null) return;
    for (const end of expiriesBetween(since, wallNow, this.ctx.directory)) {
      this.record({
        type: 'validity.expired',
        data: {
          kind: end.kind,
          id: end.id,
          holderId: end.holderId,
          ...(end.slot === undefined ? {} : { slot: end.slot }),
          until: new Date(end.untilMs).toISOString(),
        },
      });
    }
  }

  present(slot: number): void {
    if (!this.slot(slot).occupied) this.setSlot(slot, { occupied: true });
  }

  fob(slot: number, tag: string | null): void {
    const current = this.slot(slot);
    if (tag === null) {
      this.departure(slot);
      return;
    }
    if (current.tag === tag) {
      if (!current.occupied) this.setSlot(slot, { occupied: true });
      return;
    }
    // The key a swap took away is back: the substitute it replaces leaves without a word.
    if (current.expectedTag === tag) {
      this.arrival(slot, tag);
      return;
    }
    const swap = detectSwap(current, tag, this.ctx.directory, this.emergency !== null);
    if (swap) {
      this.keySwapped(slot, tag, swap);
      return;
    }
    // A different tag than the one recorded: the old fob left and a new one arrived.
    if (current.tag !== null) this.departure(slot);
    this.arrival(slot, tag);
  }

  departure(slot: number): void {
    const current = this.slot(slot);
    if (!current.occupied && current.tag === null) return; // the other sensor already told us
    const { directory } = this.ctx;
    const key = current.tag ? directory.keyByTag(current.tag) : directory.keyByHomeSlot(slot);
    const release = current.release;
    this.setSlot(slot, { occupied: false, tag: null, release: null });
    this.clearAlarm('key.wrong_slot', slot);
    this.clearAlarm('key.unknown_fob', slot);
    // During an emergency release every slot stays released, emptied or not.
    if (release && !this.emergencyHoldsSlots()) this.effects.push({ kind: 'lock', slot });

    if (release?.reason === 'session' && this.session) {
      if (key) this.checkOut(this.session, key, slot);
      return;
    }
    // A wrong-slot fob being moved is expected; its loan stays open until it is home.
    if (release?.reason === 'wrong_slot') return;
    // A fob the cabinet does not know is not one of its keys: removing it is not a theft.
    if (current.tag !== null && !key) return;
    // Nor is taking a key from a slot an emergency release opened. There is no holder to name:
    // the inventory shows what left.
    if (this.emergencyHoldsSlots()) return;
    this.record({
      type: 'key.forced',
      data: { slot, keyId: key?.id ?? null, keyLabel: key?.label ?? null },
    });
  }

  private checkOut(session: Session, key: Key, slot: number): void {
    const { directory } = this.ctx;
    const wallNow = this.ctx.clock.wallMs();
    const limits = loanLimitsFor(directory, session.holderId, key, directory.tierRules());
    const due = dueAt(wallNow, limits, this.ctx.timeZone ?? 'UTC');
    this.record({
      type: 'key.checked_out',
      data: {
        keyId: key.id,
        keyLabel: key.label,
        holderId: session.holderId,
        holderName: session.holderName,
        slot,
        dueAt: due === null ? null : new Date(due).toISOString(),
      },
    });
    const keysOut = session.keysOut + 1;
    this.session = { ...session, keysOut };
    if (session.maxKeysOut === undefined || keysOut < session.maxKeysOut) return;
    // The holder reached their limit: the session's other keys may no longer leave.
    for (const other of session.slots) {
      if (other !== slot && this.slot(other).release?.reason === 'session') {
        this.setSlot(other, { release: null });
        this.effects.push({ kind: 'lock', slot: other });
      }
    }
  }

  /** See src/domain/key-swap.ts for when a swap is recorded instead of forced + wrong slot. */
  private keySwapped(slot: number, tag: string, swap: Swap): void {
    const first = this.slot(slot).expectedTag === undefined;
    this.setSlot(slot, { occupied: true, tag, expectedTag: swap.expected.tag });
    if (!first) this.clearAlarm('key.swapped', slot); // a second substitution: one alarm, renewed
    this.record({
      type: 'key.swapped',
      data: {
        slot,
        keyId: swap.expected.id,
        keyLabel: swap.expected.label,
        foundKeyId: swap.found.id,
        foundKeyLabel: swap.found.label,
      },
    });
  }

  private arrival(slot: number, tag: string): void {
    const expectedTag = this.slot(slot).expectedTag;
    this.setSlot(slot, { occupied: true, tag });
    this.clearAlarm('key.forced', slot);
    if (expectedTag !== undefined && expectedTag === tag) {
      this.setSlot(slot, { expectedTag: undefined });
      this.clearAlarm('key.swapped', slot);
    }
    const { directory } = this.ctx;
    const key = directory.keyByTag(tag);
    // A key reconciliation found missing is accounted for again, wherever it turns up.
    if (key) this.clearAlarm('key.missing', key.homeSlot);
    if (!key) {
      this.record({ type: 'key.unknown_fob', data: { slot, tag } });
      return;
    }
    if ((key.state ?? 'active') !== 'active') {
      this.record({
        type: 'key.flagged_return',
        data: { keyId: key.id, keyLabel: key.label, slot, state: key.state ?? 'active' },
      });
    }
    if (key.homeSlot !== slot && key.returnPolicy !== 'any') {
      const pulseMs = this.ctx.settings.wrongSlotPulseMs;
      this.record({
        type: 'key.wrong_slot',
        data: { keyId: key.id, keyLabel: key.label, slot, homeSlot: key.homeSlot },
      });
      this.setSlot(slot, { release: { reason: 'wrong_slot', until: this.now + pulseMs } });
      this.effects.push({ kind: 'release', slot, ms: pulseMs });
      return;
    }
    const loan = directory.openLoanOf(key.id);
    if (!loan) return; // already recorded as in the cabinet: a report, not a return
    this.clearAlarm('key.overdue', key.homeSlot);
    const holder = directory.holder(loan.holderId);
    const wallNow = this.ctx.clock.wallMs();
    this.record({
      type: 'key.checked_in',
      data: {
        keyId: key.id,
        keyLabel: key.label,
        holderId: loan.holderId,
        holderName: holder?.name ?? '',
        slot,
        outAt: new Date(loan.outAtMs).toISOString(),
        durationSeconds: Math.max(0, Math.round((wallNow - loan.outAtMs) / 1000)),
        returnedBy: this.session?.holderId ?? null,
      },
    });
  }

  private endSession(): void {
    const session = this.session;
    if (!session) return;
    this.session = null;
    // During an emergency release the door and every slot stay released; only the session's
    // own claim on its slots ends.
    const relockSlots = !this.emergencyHoldsSlots();
    for (const slot of session.slots) {
      if (this.slot(slot).release?.reason === 'session') {
        this.setSlot(slot, { release: null });
        if (relockSlots) this.effects.push({ kind: 'lock', slot });
      }
    }
    if (!this.emergency) this.effects.push({ kind: 'door', unlocked: false });
    this.effects.push({ kind: 'signal', signal: 'session_ended' });
  }

  private record(event: NewEvent): void {
    this.effects.push({ kind: 'record', event });
    if (!isAlarm(event.type)) return;
    const type = event.type as AlarmType;
    if (alarmSounds(type)) this.effects.push({ kind: 'signal', signal: 'alarm' });
    const slot = 'slot' in event.data ? event.data.slot : undefined;
    const reader = 'reader' in event.data ? event.data.reader : undefined;
    const alarm: ActiveAlarm = { type, since: new Date(this.ctx.clock.wallMs()).toISOString() };
    if (slot !== undefined) alarm.slot = slot;
    if (reader !== undefined) alarm.reader = reader;
    this.alarms = [...this.alarms, alarm];
  }

  /** Clears active alarms of a type (at a slot, of a reader), each with an `alarm.cleared`. */
  private clearAlarm(type: AlarmType, slot?: number, reader?: ReaderName): void {
    const matches = (a: ActiveAlarm) => a.type === type && a.slot === slot && a.reader === reader;
    for (const alarm of this.alarms.filter(matches)) {
      this.effects.push({
        kind: 'record',
        event: {
          type: 'alarm.cleared',
          data: {
            alarm: alarm.type,
            ...(slot === undefined ? {} : { slot }),
            ...(reader === undefined ? {} : { reader }),
            since: alarm.since,
          },
        },
      });
    }
    this.alarms = this.alarms.filter((a) => !matches(a));
  }

  private slot(slot: number): SlotState {
    const s = this.slots[slot - 1];
    if (!s) throw new RangeError(`slot ${slot} is outside 1..${this.slots.length}`);
    return s;
  }

  private setSlot(slot: number, patch: Partial<SlotState>): void {
    this.slots[slot - 1] = { ...this.slot(slot), ...patch };
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

function openLoan(loan: Loan): OpenLoan {
  return { keyId: loan.keyId, holderId: loan.holderId, dueAtMs: loan.dueAtMs ?? null };
}

function maxOf(pending: PendingBadge): { maxKeysOut?: number } {
  return pending.maxKeysOut === undefined ? {} : { maxKeysOut: pending.maxKeysOut };
}

function lockoutRef(subject: LockoutSubject): LockoutRef {
  if (subject.kind === 'reader') return { subject: 'reader' };
  const { credentialId, holderId } = subject;
  return { subject: 'credential', credentialId, ...(holderId === undefined ? {} : { holderId }) };
}

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
