import { decideAccess } from './access-decision.js';
import type { CabinetDirectory } from './cabinet-directory.js';
import type { CabinetInput, Effect } from './cabinet-io.js';
import type {
  ActiveAlarm,
  AlarmType,
  CabinetSettings,
  CabinetState,
  SlotState,
} from './cabinet-state.js';
import type { Clock } from './clock.js';
import { isAlarm, type NewEvent } from './events.js';
import { maskCard } from '../log/mask-card.js';

export interface StepResult {
  state: CabinetState;
  effects: Effect[];
}

export interface StepContext {
  settings: CabinetSettings;
  directory: CabinetDirectory;
  clock: Clock;
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
    this.now = ctx.clock.monotonicMs();
  }

  result(): StepResult {
    return {
      state: {
        slots: this.slots,
        door: this.doorState,
        session: this.session,
        alarms: this.alarms,
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
    const decision = decideAccess({
      credential,
      holder,
      permissions: holder ? directory.permissionsOf(holder.id) : [],
      keysOut: holder ? directory.openLoansOf(holder.id).length : 0,
      nowMs: this.ctx.clock.wallMs(),
    });
    const masked = maskCard(card);
    if (!decision.granted || !holder) {
      const reason = decision.granted ? 'unknown_card' : decision.reason;
      const data: Extract<NewEvent, { type: 'access.denied' }>['data'] = { reason, card: masked };
      if (!decision.granted && decision.holderId !== undefined) data.holderId = decision.holderId;
      if (!decision.granted && decision.credentialId !== undefined)
        data.credentialId = decision.credentialId;
      this.record({ type: 'access.denied', data });
      this.effects.push({ kind: 'signal', signal: 'denied' });
      return;
    }
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
    const { sessionMs } = this.ctx.settings;
    this.session = {
      holderId: holder.id,
      holderName: holder.name,
      credentialId: decision.credentialId,
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

  door(open: boolean): void {
    if (open === this.doorState.open) return;
    this.doorState = { open };
    if (open) {
      if (this.session) this.session = { ...this.session, doorOpened: true };
      else this.record({ type: 'door.forced', data: {} });
    } else {
      this.clearAlarm('door.forced');
      // Closing the door after using it ends the visit: relock at once, not at the timeout.
      if (this.session?.doorOpened) this.endSession();
    }
  }

  tick(): void {
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
    if (release) this.effects.push({ kind: 'lock', slot });

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
    for (const slot of session.slots) {
      if (this.slot(slot).release?.reason === 'session') {
        this.setSlot(slot, { release: null });
        this.effects.push({ kind: 'lock', slot });
      }
    }
    this.effects.push({ kind: 'door', unlocked: false });
    this.effects.push({ kind: 'signal', signal: 'session_ended' });
  }

  private record(event: NewEvent): void {
    this.effects.push({ kind: 'record', event });
    if (!isAlarm(event.type)) return;
    this.effects.push({ kind: 'signal', signal: 'alarm' });
    const slot = 'slot' in event.data ? event.data.slot : undefined;
    const alarm = {
      type: event.type as AlarmType,
      since: new Date(this.ctx.clock.wallMs()).toISOString(),
    };
    this.alarms = [...this.alarms, slot === undefined ? alarm : { ...alarm, slot }];
  }

  /** Clears active alarms of a type (at a slot), each with an `alarm.cleared` event. */
  private clearAlarm(type: AlarmType, slot?: number): void {
    const matches = (a: ActiveAlarm) => a.type === type && a.slot === slot;
    for (const alarm of this.alarms.filter(matches)) {
      this.effects.push({
        kind: 'record',
        event: {
          type: 'alarm.cleared',
          data: { alarm: alarm.type, ...(slot === undefined ? {} : { slot }), since: alarm.since },
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

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
