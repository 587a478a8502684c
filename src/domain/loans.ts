import type { Loan } from './model.js';
import { localTimeAt } from './policy/local-time.js';

/**
 * Loan rules: when a key is due back, when an overdue key is announced and reminded, and
 * whether a holder may take another key. Pure; the flow will call these with the directory's
 * data (not wired yet: see the report of this change).
 *
 * Due dates are wall time, not monotonic: a loan outlives a reboot, and a curfew is a time of
 * day. An overdue event recorded before NTP has set the clock says so (`clockSynced`).
 */

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * One limit that applies to a loan, from wherever it was set: the key, the permission or
 * group the holder takes it under, or the key's tier. A limit may carry a maximum period, a
 * curfew (a time of day in the cabinet's zone by which the key must be back), or both.
 */
export interface LoanLimit {
  source: 'key' | 'permission' | 'group' | 'tier';
  maxMinutes?: number;
  /** Minutes after local midnight, 0–1439. */
  curfewMinute?: number;
}

/** When the key must be back: the earliest that any limit allows (the strictest applies). */
export function dueAt(
  outAtMs: number,
  limits: readonly LoanLimit[],
  timeZone: string,
): number | null {
  let due: number | null = null;
  for (const limit of limits) {
    for (const candidate of [
      limit.maxMinutes === undefined ? null : outAtMs + limit.maxMinutes * MINUTE_MS,
      limit.curfewMinute === undefined ? null : nextCurfew(outAtMs, limit.curfewMinute, timeZone),
    ]) {
      if (candidate !== null && (due === null || candidate < due)) due = candidate;
    }
  }
  return due;
}

/**
 * The first instant after `fromMs` at which the local clock shows `minute`. Taken at the
 * curfew minute itself, the key is due the next day: nobody takes a key to return it at once.
 * On a spring-forward night a curfew inside the skipped hour falls due when the clock jumps
 * past it; on a fall-back night it falls due the first time the clock shows it.
 */
export function nextCurfew(fromMs: number, minute: number, timeZone: string): number {
  const start = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  const now = localTimeAt(start, timeZone).minute;
  const ahead = (minute - now + DAY_MINUTES) % DAY_MINUTES || DAY_MINUTES;
  const naive = start + ahead * MINUTE_MS;
  // A daylight-saving change between now and then shifts the local clock by the offset change.
  let t = naive;
  for (let i = 0; i < 2; i++) {
    const off = signedMinutes(minute - localTimeAt(t, timeZone).minute);
    if (off === 0) return t > fromMs ? t : naive;
    t += off * MINUTE_MS;
  }
  return naive; // the curfew minute does not exist that day (skipped hour)
}

function signedMinutes(diff: number): number {
  const m = ((diff % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return m > DAY_MINUTES / 2 ? m - DAY_MINUTES : m;
}

/** A key out, as the overdue rules need it. */
export interface OpenLoan {
  keyId: number;
  holderId: number;
  /** Wall ms; null when no limit applies. */
  dueAtMs: number | null;
}

/** Overdue loans already announced, by key id: the monotonic ms of the next reminder. */
export type OverdueBook = Readonly<Record<number, number>>;

export interface OverdueSettings {
  /** Interval between `key.overdue_reminder`s, monotonic ms. */
  reminderMs: number;
}

export interface OverdueCheck {
  book: OverdueBook;
  /** Newly past due: one `key.overdue` each. */
  overdue: OpenLoan[];
  /** Still out, reminder due: one `key.overdue_reminder` each. */
  reminders: OpenLoan[];
}

/**
 * At a tick: which loans just became overdue, and which are due a reminder. A loan is overdue
 * from its due instant on (`wallMs >= dueAtMs`). Loans no longer open drop out of the book, so
 * a key taken again later is announced afresh.
 */
export function checkOverdue(
  book: OverdueBook,
  loans: readonly OpenLoan[],
  wallMs: number,
  monoMs: number,
  settings: OverdueSettings,
): OverdueCheck {
  const next: Record<number, number> = {};
  const overdue: OpenLoan[] = [];
  const reminders: OpenLoan[] = [];
  for (const loan of loans) {
    if (loan.dueAtMs === null || wallMs < loan.dueAtMs) continue;
    const reminderAt = book[loan.keyId];
    if (reminderAt === undefined) {
      overdue.push(loan);
      next[loan.keyId] = monoMs + settings.reminderMs;
    } else if (monoMs >= reminderAt) {
      reminders.push(loan);
      next[loan.keyId] = monoMs + settings.reminderMs;
    } else {
      next[loan.keyId] = reminderAt;
    }
  }
  return { book: next, overdue, reminders };
}

export interface TakeRules {
  /** Keys a holder may have out at once; undefined: no limit. The smallest applies. */
  maxKeysOut?: number;
  /** Whether a holder with an overdue key may take another. */
  overdueBlocksTaking: boolean;
}

/**
 * Whether a holder may take a key now, given the keys they have out. Returning stays
 * possible either way: the flow still opens the door to a holder with keys out.
 */
export function takeRefusal(
  loans: readonly OpenLoan[],
  wallMs: number,
  rules: TakeRules,
): 'overdue_key' | 'loan_limit' | null {
  if (rules.overdueBlocksTaking && loans.some((l) => l.dueAtMs !== null && wallMs >= l.dueAtMs)) {
    return 'overdue_key';
  }
  if (rules.maxKeysOut !== undefined && loans.length >= rules.maxKeysOut) return 'loan_limit';
  return null;
}

/** A loan as the overdue rules read it. */
export function openLoan(loan: Loan): OpenLoan {
  return { keyId: loan.keyId, holderId: loan.holderId, dueAtMs: loan.dueAtMs ?? null };
}
