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
import { lockoutSettings } from './cabinet-state.js';
import { countsTowardsLockout } from './denial-reason.js';
import {
  clearLock,
  countDenial,
  expireLocks,
  forget,
  isLocked,
  subjectKey,
  type LockoutSubject,
} from './lockout.js';
import type { Holder } from './model.js';
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
      run.lockdownStart(input.commandId, input.allowHolders);
      break;
    case 'lockdown_end':
      run.lockdownEnd(input.commandId);
      break;
    case 'clear_lockout':
      run.clearLockout(input.actor, input.subject);
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
      },
      effects: this.effects,
    };
  }

  validSlot(slot: number): boolean {
    return Number.isInteger(slot) && slot >= 1 && slot <= this.slots.length;
  }

  badge(card: string): void {
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
    this.lockouts = forget(this.lockouts, subject);
    // Only slots that hold a key are released: an empty slot has nothing to give.
    const slots = decision.slots.filter((s) => this.slot(s).occupied);
    this.record({
      type: 'access.granted',
      data: {
        holderId: holder.id,
        holderName: holder.name,
        credentialId: decision.credentialId,
        card: masked,
        slots,
      },
    });
    this.openSession(holder, decision.credentialId, slots);
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
    const slots = decision.slots.filter((s) => this.slot(s).occupied);
    this.record({
      type: 'access.granted',
      data: { holderId: holder.id, holderName: holder.name, slots, commandId },
    });
    this.openSession(holder, null, slots);
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
  lockdownStart(commandId: string, allowHolders: number[]): void {
    const allowed = [...new Set(allowHolders)].sort((a, b) => a - b);
    this.lockdown = { commandId, allowHolders: allowed };
    this.record({ type: 'lockdown.started', data: { commandId, allowHolders: allowed } });
    if (this.session && !allowed.includes(this.session.holderId)) this.endSession();
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

  private openSession(holder: Holder, credentialId: number | null, slots: number[]): void {
    const { sessionMs } = this.ctx.settings;
    this.session = {
      holderId: holder.id,
      holderName: holder.name,
      credentialId,
      slots,
      endsAt: this.now + sessionMs,
      doorOpened: false,
    };
    this.effects.push({ kind: 'door', unlocked: true });
    for (const slot of slots) {
      this.setSlot(slot, { release: { reason: 'session', until: this.now + sessionMs } });
      this.effects.push({ kind: 'release', slot, ms: sessionMs });
    }
    this.effects.push({ kind: 'signal', signal: 'granted' });
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
    this.doorState = { open };
    if (open) {
      if (this.session) this.session = { ...this.session, doorOpened: true };
      // During an emergency release the door is unlocked: opening it is expected.
      else if (!this.emergency) this.record({ type: 'door.forced', data: {} });
    } else {
      this.clearAlarm('door.forced');
      // Closing the door after using it ends the visit: relock at once, not at the timeout.
      if (this.session?.doorOpened) this.endSession();
    }
  }

  tick(): void {
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
      if (key) {
        this.record({
          type: 'key.checked_out',
          data: {
            keyId: key.id,
            keyLabel: key.label,
            holderId: this.session.holderId,
            holderName: this.session.holderName,
            slot,
          },
        });
      }
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

  private arrival(slot: number, tag: string): void {
    this.setSlot(slot, { occupied: true, tag });
    this.clearAlarm('key.forced', slot);
    const { directory } = this.ctx;
    const key = directory.keyByTag(tag);
    if (!key) {
      this.record({ type: 'key.unknown_fob', data: { slot, tag } });
      return;
    }
    if (key.homeSlot !== slot) {
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

function lockoutRef(subject: LockoutSubject): LockoutRef {
  if (subject.kind === 'reader') return { subject: 'reader' };
  const { credentialId, holderId } = subject;
  return { subject: 'credential', credentialId, ...(holderId === undefined ? {} : { holderId }) };
}

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
