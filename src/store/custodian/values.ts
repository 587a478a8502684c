import { KeywardenError } from '../../errors.js';

/**
 * The custodian's values, checked before anything is opened: a bad one is a usage error
 * (exit 2) naming the option and what it should be.
 */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function usage(message: string): KeywardenError {
  return new KeywardenError('USAGE', message);
}

/**
 * An instant with its zone, stored as UTC ISO 8601. A bare date is refused on purpose: whether
 * "until 2026-12-31" means the start or the end of that day, and in which zone, is exactly the
 * mistake that lets a contractor in a day too long.
 */
export function instant(value: string, name: string): string {
  const ms = INSTANT.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(ms)) {
    throw usage(
      `${name} must be a date and time with its zone, e.g. 2026-12-31T18:00Z or 2026-12-31T18:00+01:00, not "${value}"`,
    );
  }
  return new Date(ms).toISOString();
}

/** An instant, or `none` to remove the bound (for `set` commands). */
export function instantOrNone(value: string, name: string): string | null {
  return value.trim().toLowerCase() === 'none' ? null : instant(value, name);
}

export function validity(
  from: string | undefined,
  until: string | undefined,
): { validFrom: string | null; validUntil: string | null } {
  const validFrom = from === undefined ? null : instantOrNone(from, '--valid-from');
  const validUntil = until === undefined ? null : instantOrNone(until, '--valid-until');
  checkOrder(validFrom, validUntil);
  return { validFrom, validUntil };
}

export function checkOrder(from: string | null, until: string | null): void {
  if (from !== null && until !== null && from >= until) {
    throw usage(`--valid-until (${until}) must be after --valid-from (${from})`);
  }
}

/** A whole number ≥ min, or `none` when allowed. */
export function wholeNumber(value: string, name: string, min: number): number {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw usage(`${name} must be a whole number of at least ${min}, not "${value}"`);
  }
  return Number(v);
}

export function wholeNumberOrNone(value: string, name: string, min: number): number | null {
  return value.trim().toLowerCase() === 'none' ? null : wholeNumber(value, name, min);
}

export function yesNo(value: string, name: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'yes') return true;
  if (v === 'no') return false;
  throw usage(`${name} must be yes or no, not "${value}"`);
}

export function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) {
    throw usage(`${name} must be one of ${allowed.join(', ')}, not "${value}"`);
  }
  return v as T;
}

/** `HH:MM` as minutes after midnight; `24:00` only where an end is meant. */
export function clockMinute(value: string, name: string, allowEndOfDay = false): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value.trim());
  const minute = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const max = allowEndOfDay ? 1440 : 1439;
  if (!m || Number(m[2]) > 59 || minute > max) {
    throw usage(
      `${name} must be a time HH:MM (00:00 to ${allowEndOfDay ? '24:00' : '23:59'}), not "${value}"`,
    );
  }
  return minute;
}

export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** `08:00-18:00` as local minutes; the end must be after the start, on the same day. */
export function minuteRange(value: string, name: string): { start: number; end: number } {
  const [a, b, ...rest] = value.split('-');
  if (a === undefined || b === undefined || rest.length > 0) {
    throw usage(`${name} must be HH:MM-HH:MM, e.g. 08:00-18:00, not "${value}"`);
  }
  const start = clockMinute(a, name);
  const end = clockMinute(b, name, true);
  if (end <= start) {
    throw usage(
      `${name}: the end must be after the start on the same day (overnight access is two windows), not "${value}"`,
    );
  }
  return { start, end };
}

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** `Mon` … `Sun` as 1 … 7 (ISO weekday). */
export function weekday(value: string, name: string): number {
  const index = DAYS.indexOf(value.trim().toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
  if (index === -1 || value.trim().length < 3) {
    throw usage(`${name} must be a day Mon, Tue, Wed, Thu, Fri, Sat or Sun, not "${value}"`);
  }
  return index + 1;
}

export function dayName(day: number): string {
  const name = DAYS[day - 1] ?? '?';
  return name[0]!.toUpperCase() + name.slice(1);
}

/** A calendar date YYYY-MM-DD that exists. */
export function calendarDate(value: string, name: string): string {
  const v = value.trim();
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
  if (!ok) throw usage(`${name} must be a date YYYY-MM-DD, not "${value}"`);
  return v;
}

export function name(value: string, what: string): string {
  const clean = value.trim();
  if (clean.length === 0 || clean.length > 200) {
    throw usage(`${what} must be 1 to 200 characters`);
  }
  return clean;
}
