import type { EmergencyReleases, EmergencySource, ReaderName } from '../cabinet-state.js';
import { underEmergency } from '../door-watch.js';
import type { Actor } from '../events.js';
import { clearLock, type LockoutSubject, subjectKey } from '../lockout.js';
import { reconcile } from '../reconciliation.js';
import { SlotStep } from './slot-step.js';
import { lockoutRef } from './step-core.js';

/**
 * The cabinet as a whole: emergency release, lockdown and lockouts, the tamper and power
 * inputs, the readers' presence, reconciliation and wall-clock steps.
 */
export abstract class CabinetStep extends SlotStep {
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
}
