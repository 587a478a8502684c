import { alarmSounds } from '../alarm-signals.js';
import type { CabinetDirectory } from '../cabinet-directory.js';
import type { ReaderName } from '../cabinet-state.js';
import type { Effect } from '../cabinet-effects.js';
import {
  type ActiveAlarm,
  type AlarmType,
  type CabinetSettings,
  type CabinetState,
  lockoutSettings,
  type SlotState,
} from '../cabinet-state.js';
import type { Clock } from '../clock.js';
import { isAlarm, type LockoutRef, type NewEvent } from '../events.js';
import { floodCardSeen } from '../card-flood.js';
import { countDenial, type LockoutSubject } from '../lockout.js';
import {
  misplacedKey,
  misplacedRelease,
  misplacedReleaseReason,
  releasableForSession,
} from '../misplaced-keys.js';
import type { Holder, Key } from '../model.js';

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
 * What every part of a cabinet step shares: the state being built, the effects so far, and the
 * primitives the rules are written with (record an event, raise and clear alarms, open and end
 * a session, release slots). Each layer above adds the inputs of one concern; the cabinet flow
 * (src/domain/cabinet-flow.ts) dispatches an input to the top one. Pure apart from the
 * directory's reads and the clock.
 */
export abstract class StepCore {
  protected readonly slots: SlotState[];
  protected doorState: CabinetState['door'];
  protected session: CabinetState['session'];
  protected alarms: CabinetState['alarms'];
  protected emergency: CabinetState['emergency'];
  protected lockdown: CabinetState['lockdown'];
  protected lockouts: CabinetState['lockouts'];
  protected cardFlood: CabinetState['cardFlood'];
  protected pending: CabinetState['pending'];
  protected overdue: CabinetState['overdue'];
  protected expiriesUntil: CabinetState['expiriesUntil'];
  protected readonly effects: Effect[] = [];
  protected readonly now: number;

  constructor(
    state: CabinetState,
    protected readonly ctx: StepContext,
  ) {
    this.slots = [...state.slots];
    this.doorState = state.door;
    this.session = state.session;
    this.alarms = state.alarms;
    this.emergency = state.emergency;
    this.lockdown = state.lockdown;
    this.lockouts = state.lockouts;
    this.cardFlood = state.cardFlood;
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
        cardFlood: this.cardFlood,
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

  /**
   * The slots to release for a holder and their permitted home slots: wherever each permitted
   * key is now (a key returned to any slot is released from there), and a permitted slot with no
   * key on record if something is in it. Only slots whose switch shows a key: an empty slot has
   * nothing to give, and a fob report alone energises nothing. A misplaced key is released for
   * the holder who may move it (src/domain/misplaced-keys.ts); conflicting reads for nobody.
   */
  protected releasable(permitted: readonly number[], holderId: number | null): number[] {
    const wanted = new Set(permitted);
    const slots: number[] = [];
    this.slots.forEach((state, i) => {
      const slot = i + 1;
      if (!releasableForSession(state)) return;
      const key = this.keyIn(slot);
      const misplaced = misplacedKey(key, slot);
      if (misplaced) {
        if (misplacedRelease(misplaced, holderId, wanted, this.ctx.directory)) slots.push(slot);
        return;
      }
      if (wanted.has(key ? key.homeSlot : slot)) slots.push(slot);
    });
    return slots;
  }

  /** The key in a slot: the one its fob reads, else the one whose home it is. */
  protected keyIn(slot: number): Key | undefined {
    const { tag } = this.slot(slot);
    const { directory } = this.ctx;
    return tag === null ? directory.keyByHomeSlot(slot) : directory.keyByTag(tag);
  }

  /** Whether an emergency in force holds the slots released (not only the door). */
  protected emergencyHoldsSlots(): boolean {
    return this.emergency?.releases === 'door_and_slots';
  }

  protected countDenial(subject: LockoutSubject): void {
    const settings = lockoutSettings(this.ctx.settings);
    const outcome = countDenial(this.lockouts, subject, this.now, settings);
    this.lockouts = outcome.book;
    const unknownCard = subject.kind === 'reader';
    if (unknownCard && this.cardFlood) {
      this.cardFlood = floodCardSeen(this.cardFlood, this.now, false);
    }
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
    if (!unknownCard || this.cardFlood) return;
    // One alarm for the whole flood (src/domain/card-flood.ts), not one per card.
    this.cardFlood = { lastCardAt: this.now, refused: 0 };
    this.record({
      type: 'reader.card_flood',
      data: {
        reader: 'badge',
        unknownCards: outcome.attempts,
        windowSeconds: settings.windowMs / 1000,
      },
    });
  }

  protected openSession(
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

  protected releaseForSession(slots: readonly number[]): void {
    const { sessionMs } = this.ctx.settings;
    for (const slot of slots) {
      const misplaced = misplacedKey(this.keyIn(slot), slot);
      const reason = misplaced ? misplacedReleaseReason(misplaced, this.ctx.directory) : 'session';
      this.setSlot(slot, { release: { reason, until: this.now + sessionMs } });
      this.effects.push({ kind: 'release', slot, ms: sessionMs });
    }
  }

  protected releaseAllForEmergency(pulseMs: number): void {
    // The door output has no on-time limit; asserting it with every pulse puts it back if the
    // shell's fail-secure path dropped it.
    this.effects.push({ kind: 'door', unlocked: true });
    if (!this.emergencyHoldsSlots()) return;
    this.slots.forEach((_, i) => this.effects.push({ kind: 'release', slot: i + 1, ms: pulseMs }));
  }

  protected endSession(): void {
    const session = this.session;
    if (!session) return;
    this.session = null;
    // During an emergency release the door and every slot stay released; only the session's
    // own claim on its slots ends. Every release is the session's (a misplaced key's too):
    // outside a session no solenoid is on.
    const relockSlots = !this.emergencyHoldsSlots();
    this.slots.forEach((state, i) => {
      if (state.release === null) return;
      this.setSlot(i + 1, { release: null });
      if (relockSlots) this.effects.push({ kind: 'lock', slot: i + 1 });
    });
    if (!this.emergency) this.effects.push({ kind: 'door', unlocked: false });
    this.effects.push({ kind: 'signal', signal: 'session_ended' });
  }

  protected record(event: NewEvent): void {
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
  protected clearAlarm(type: AlarmType, slot?: number, reader?: ReaderName): void {
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

  protected slot(slot: number): SlotState {
    const s = this.slots[slot - 1];
    if (!s) throw new RangeError(`slot ${slot} is outside 1..${this.slots.length}`);
    return s;
  }

  protected setSlot(slot: number, patch: Partial<SlotState>): void {
    this.slots[slot - 1] = { ...this.slot(slot), ...patch };
  }
}

export function lockoutRef(subject: LockoutSubject): LockoutRef {
  if (subject.kind === 'reader') return { subject: 'reader' };
  const { credentialId, holderId } = subject;
  return { subject: 'credential', credentialId, ...(holderId === undefined ? {} : { holderId }) };
}
