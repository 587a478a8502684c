import { floodOver } from '../card-flood.js';
import { lockoutSettings, policySettings } from '../cabinet-state.js';
import { checkOverdue, openLoan } from '../loans.js';
import { expireLocks, isLocked } from '../lockout.js';
import { expiriesBetween } from '../policy/expiries.js';
import { CabinetStep } from './cabinet-step.js';
import { lockoutRef } from './step-core.js';

/**
 * Time passing: entries lapse, sessions relock, emergency pulses renew, loans fall due, windows
 * end. Lockouts end in endDueLockouts, which the flow runs before every input, this one too.
 */
export class TickStep extends CabinetStep {
  tick(): void {
    if (this.pendingLapsed()) this.abandonPending('entry_timeout');
    this.checkOverdue();
    this.recordExpiries();
    this.watchDoor();
    this.watchCardFlood();
    if (this.session && this.now >= this.session.endsAt) this.endSession();
    // The driver cuts every pulse at the solenoid's maximum on-time: an emergency release is
    // renewed pulse by pulse. Nothing else is: every other release ends with its session.
    if (this.emergency && this.now >= this.emergency.renewAt) {
      const pulseMs = this.ctx.settings.wrongSlotPulseMs;
      this.emergency = { ...this.emergency, renewAt: this.now + pulseMs };
      this.releaseAllForEmergency(pulseMs);
    }
  }

  /**
   * Lockouts that ran their time, each with its own `lockout.ended` (and the reader's refused
   * cards). Run before every input, not only at the tick: a denial arriving after the end but
   * before the tick would otherwise start a new lockout over the old, unended one.
   */
  endDueLockouts(): void {
    const expired = expireLocks(this.lockouts, this.now);
    this.lockouts = expired.book;
    for (const subject of expired.ended) {
      const flood = subject.kind === 'reader' ? this.cardFlood : null;
      const refused = flood ? { refusedCards: flood.refused } : {};
      if (flood) this.cardFlood = { ...flood, refused: 0 };
      this.record({ type: 'lockout.ended', data: { ...lockoutRef(subject), ...refused } });
    }
  }

  /** The flood alarm clears once the reader is unlocked and quiet for a window. */
  protected watchCardFlood(): void {
    const flood = this.cardFlood;
    if (!flood) return;
    const locked = isLocked(this.lockouts, { kind: 'reader' }, this.now);
    if (!floodOver(flood, this.now, locked, lockoutSettings(this.ctx.settings))) return;
    this.cardFlood = null;
    this.clearAlarm('reader.card_flood', undefined, 'badge');
  }

  /** Loans past their due time: `key.overdue` once, then reminders until the key is back. */
  protected checkOverdue(): void {
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
  protected recordExpiries(): void {
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
}
