import { floodOver } from '../card-flood.js';
import { lockoutSettings, policySettings } from '../cabinet-state.js';
import { checkOverdue, openLoan } from '../loans.js';
import { isLocked } from '../lockout.js';
import { expiriesBetween } from '../policy/expiries.js';
import { abandonPending, pendingLapsed } from './badge-entry.js';
import { watchDoor } from './door.js';
import type { StepDraft } from './step-draft.js';

// Time passing: entries lapse, sessions relock, emergency pulses renew, loans fall due,
// validity windows end, and a wall-clock step is recorded. Lockouts end in lockouts.ts
// (endDueLockouts), which the flow runs before every input, the tick too.

export function tick(draft: StepDraft): void {
  if (pendingLapsed(draft)) abandonPending(draft, 'entry_timeout');
  recordOverdue(draft);
  recordExpiries(draft);
  watchDoor(draft);
  watchCardFlood(draft);
  if (draft.session && draft.now >= draft.session.endsAt) draft.endSession();
  // The driver cuts every pulse at the solenoid's maximum on-time: an emergency release is
  // renewed pulse by pulse. Nothing else is: every other release ends with its session.
  if (draft.emergency && draft.now >= draft.emergency.renewAt) {
    const pulseMs = draft.ctx.settings.wrongSlotPulseMs;
    draft.emergency = { ...draft.emergency, renewAt: draft.now + pulseMs };
    draft.releaseAllForEmergency(pulseMs);
  }
}

/** The flood alarm clears once the reader is unlocked and quiet for a window. */
function watchCardFlood(draft: StepDraft): void {
  const flood = draft.cardFlood;
  if (!flood) return;
  const locked = isLocked(draft.lockouts, { kind: 'reader' }, draft.now);
  if (!floodOver(flood, draft.now, locked, lockoutSettings(draft.ctx.settings))) return;
  draft.cardFlood = null;
  draft.clearAlarm('reader.card_flood', undefined, 'badge');
}

/** Loans past their due time: `key.overdue` once, then reminders until the key is back. */
function recordOverdue(draft: StepDraft): void {
  const { directory } = draft.ctx;
  const loans = directory.openLoans();
  if (loans.length === 0 && Object.keys(draft.overdue).length === 0) return;
  const { overdueReminderMs } = policySettings(draft.ctx.settings);
  // Announced before a restart: not again, only reminded.
  const book: Record<number, number> = { ...draft.overdue };
  for (const loan of loans) {
    if (loan.overdueAnnounced && book[loan.keyId] === undefined) {
      book[loan.keyId] = draft.now + overdueReminderMs;
    }
  }
  const wallNow = draft.ctx.clock.wallMs();
  const check = checkOverdue(book, loans.map(openLoan), wallNow, draft.now, {
    reminderMs: overdueReminderMs,
  });
  draft.overdue = check.book;
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
    if (data) draft.record({ type: 'key.overdue', data });
  }
  for (const loan of check.reminders) {
    const data = refOf(loan.keyId);
    if (!data) continue;
    const overdueMinutes = Math.floor((wallNow - Date.parse(data.dueAt)) / 60_000);
    draft.record({ type: 'key.overdue_reminder', data: { ...data, overdueMinutes } });
  }
}

/** Validity windows that ended since the last tick, each recorded at its instant. */
function recordExpiries(draft: StepDraft): void {
  const wallNow = draft.ctx.clock.wallMs();
  const since = draft.expiriesUntil;
  if (since !== null && wallNow <= since) return; // a clock stepped back reports nothing twice
  draft.expiriesUntil = wallNow;
  if (since === null) return;
  for (const end of expiriesBetween(since, wallNow, draft.ctx.directory)) {
    draft.record({
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

/**
 * Only recorded: every timer runs on the monotonic clock, so none fires, stretches or is cut,
 * and schedules read the wall clock afresh at each decision.
 */
export function clockStepped(draft: StepDraft, fromMs: number, toMs: number): void {
  // Whole milliseconds: the monotonic clock has fractions, and a record takes only integers.
  const from = Math.round(fromMs);
  const to = Math.round(toMs);
  draft.record({
    type: 'clock.stepped',
    data: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      deltaMs: to - from,
    },
  });
}
