import { alarmSounds } from '../alarm-signals.js';
import type { CabinetDirectory } from '../cabinet-directory.js';
import type { Effect } from '../cabinet-effects.js';
import type {
  ActiveAlarm,
  AlarmType,
  CabinetSettings,
  CabinetState,
  ReaderName,
  SlotState,
} from '../cabinet-state.js';
import type { Clock } from '../clock.js';
import { isAlarm, type NewEvent } from '../events.js';
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
 * One cabinet step in the making: the state being built from the state before, the effects so
 * far, and the primitives every concern's rules are written with (record an event, raise and
 * clear alarms, open and end a session, release slots). The concern modules beside this file
 * are plain functions over a draft; src/domain/cabinet-flow.ts makes one per input, hands it to
 * the function for the input's kind, and returns its result. Pure apart from the directory's
 * reads and the clock.
 */
export class StepDraft {
  readonly slots: SlotState[];
  door: CabinetState['door'];
  session: CabinetState['session'];
  alarms: CabinetState['alarms'];
  emergency: CabinetState['emergency'];
  lockdown: CabinetState['lockdown'];
  lockouts: CabinetState['lockouts'];
  cardFlood: CabinetState['cardFlood'];
  pending: CabinetState['pending'];
  overdue: CabinetState['overdue'];
  expiriesUntil: CabinetState['expiriesUntil'];
  readonly effects: Effect[] = [];
  /** The monotonic clock at this step: every timer in the state runs on it. */
  readonly now: number;

  constructor(
    state: CabinetState,
    readonly ctx: StepContext,
  ) {
    this.slots = [...state.slots];
    this.door = state.door;
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
        door: this.door,
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
  releasable(permitted: readonly number[], holderId: number | null): number[] {
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
  keyIn(slot: number): Key | undefined {
    const { tag } = this.slot(slot);
    const { directory } = this.ctx;
    return tag === null ? directory.keyByHomeSlot(slot) : directory.keyByTag(tag);
  }

  /** Whether an emergency in force holds the slots released (not only the door). */
  emergencyHoldsSlots(): boolean {
    return this.emergency?.releases === 'door_and_slots';
  }

  openSession(
    holder: Pick<Holder, 'id' | 'name'>,
    credentialId: number | null,
    slots: number[],
    loans: { keysOut: number; maxKeysOut?: number },
  ): void {
    const { sessionMs } = this.ctx.settings;
    // In pick-the-keys mode a badge's slots wait for the holder's pick on the screen; the door
    // opens either way, so keys can be returned before (or without) picking any. The central
    // server's release (no credential) named its one slot already: it is released.
    const picking = this.picksOnScreen() && credentialId !== null;
    this.session = {
      holderId: holder.id,
      holderName: holder.name,
      credentialId,
      slots: picking ? [] : slots,
      ...(picking ? { offered: slots } : {}),
      endsAt: this.now + sessionMs,
      doorOpened: false,
      ...loans,
    };
    this.effects.push({ kind: 'door', unlocked: true });
    if (!picking) this.releaseForSession(slots);
    this.effects.push({ kind: 'signal', signal: 'granted' });
  }

  /**
   * More slots for the open session (the two- and three-person rule's keys, once authorised):
   * released, or offered for a pick in pick-the-keys mode; the session's time starts again.
   */
  addToSession(slots: readonly number[]): void {
    const session = this.session;
    if (!session) return;
    const endsAt = this.now + this.ctx.settings.sessionMs;
    if (session.offered) {
      this.session = { ...session, offered: [...session.offered, ...slots], endsAt };
    } else {
      this.session = { ...session, slots: [...session.slots, ...slots], endsAt };
      this.releaseForSession(slots);
    }
    this.effects.push({ kind: 'door', unlocked: true });
    this.effects.push({ kind: 'signal', signal: 'granted' });
  }

  /** Whether grants are offered for a pick on the cabinet screen instead of released. */
  picksOnScreen(): boolean {
    return this.ctx.settings.pickKeysOnScreen === true;
  }

  releaseForSession(slots: readonly number[]): void {
    const { sessionMs } = this.ctx.settings;
    for (const slot of slots) {
      const misplaced = misplacedKey(this.keyIn(slot), slot);
      const reason = misplaced ? misplacedReleaseReason(misplaced, this.ctx.directory) : 'session';
      this.setSlot(slot, { release: { reason, until: this.now + sessionMs } });
      this.effects.push({ kind: 'release', slot, ms: sessionMs });
    }
  }

  releaseAllForEmergency(pulseMs: number): void {
    // The door output has no on-time limit; asserting it with every pulse puts it back if the
    // shell's fail-secure path dropped it.
    this.effects.push({ kind: 'door', unlocked: true });
    if (!this.emergencyHoldsSlots()) return;
    this.slots.forEach((_, i) => this.effects.push({ kind: 'release', slot: i + 1, ms: pulseMs }));
  }

  endSession(): void {
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

  record(event: NewEvent): void {
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
  clearAlarm(type: AlarmType, slot?: number, reader?: ReaderName): void {
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

  slot(slot: number): SlotState {
    const s = this.slots[slot - 1];
    if (!s) throw new RangeError(`slot ${slot} is outside 1..${this.slots.length}`);
    return s;
  }

  setSlot(slot: number, patch: Partial<SlotState>): void {
    this.slots[slot - 1] = { ...this.slot(slot), ...patch };
  }
}
