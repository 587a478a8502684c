import { freeTextProblem, quoted } from '../domain/values/free-text.js';
import {
  readCalendarDate,
  readClockTime,
  readInstant,
  type Reading,
} from '../domain/values/instant.js';
import { DAYS } from '../domain/values/week-clock.js';
import { KeywardenError } from '../errors.js';

/**
 * The custodian's values, checked before anything is opened: a bad one is a usage error
 * (exit 2) naming the option and what it should be. Times and free text are read by the
 * domain's one reader of each (src/domain/values), the same as CSV import and the sync command.
 * The CLI parses its options through here, and the operations (the *-operations.ts files) apply
 * the same rules to whatever they are handed, so a web form or a socket client gets them too.
 */

function usage(message: string): KeywardenError {
  return new KeywardenError('USAGE', message);
}

function valueOf<T>(reading: Reading<T>, name: string): T {
  if (!reading.ok) throw usage(`${name}: ${reading.problem}`);
  return reading.value;
}

/**
 * An instant with its zone, stored as its canonical UTC text. A bare date is refused on
 * purpose: whether "until 2026-12-31" means the start or the end of that day, and in which
 * zone, is exactly the mistake that lets a contractor in a day too long.
 */
export function instant(value: string, name: string): string {
  return valueOf(readInstant(value.trim()), name).iso;
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

/**
 * Adding something whose validity has already ended is refused: it could never be used, and
 * it is almost always a typo in the year. (A `set` may end a validity in the past: that ends
 * it now, on purpose.)
 */
export function checkNotEnded(until: string | null, now: Date, what: string): void {
  if (until !== null && Date.parse(until) <= now.getTime()) {
    throw usage(
      `--valid-until: ${until} has already passed (it is ${now.toISOString()}); ${what} valid only until then could never be used`,
    );
  }
}

/** A whole number ≥ min, or `none` when allowed. */
export function wholeNumber(value: string, name: string, min: number): number {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw usage(`${name} must be a whole number of at least ${min}, not ${quoted(value)}`);
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
  throw usage(`${name} must be yes or no, not ${quoted(value)}`);
}

export function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) {
    throw usage(`${name} must be one of ${allowed.join(', ')}, not ${quoted(value)}`);
  }
  return v as T;
}

/** `HH:MM` as minutes after midnight; `24:00` only where an end is meant. */
export function clockMinute(value: string, name: string, allowEndOfDay = false): number {
  return valueOf(readClockTime(value.trim(), allowEndOfDay), name);
}

/** `08:00-18:00` as local minutes; the end must be after the start, on the same day. */
export function minuteRange(value: string, name: string): { start: number; end: number } {
  const [a, b, ...rest] = value.split('-');
  if (a === undefined || b === undefined || rest.length > 0) {
    throw usage(`${name} must be HH:MM-HH:MM, e.g. 08:00-18:00, not ${quoted(value)}`);
  }
  const start = clockMinute(a, name);
  const end = clockMinute(b, name, true);
  if (end <= start) {
    throw usage(
      `${name}: the end must be after the start on the same day (overnight access is two windows), not ${quoted(value)}`,
    );
  }
  return { start, end };
}

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `Mon` … `Sun` (or the whole name, any case) as 1 … 7 (ISO weekday). */
export function weekday(value: string, name: string): number {
  const v = value.trim().toLowerCase();
  const index = Math.max(DAYS.indexOf(v as (typeof DAYS)[number]), DAY_NAMES.indexOf(v));
  if (index === -1) {
    throw usage(`${name} must be a day Mon, Tue, Wed, Thu, Fri, Sat or Sun, not ${quoted(value)}`);
  }
  return index + 1;
}

/**
 * A weekday already as its number (1 Monday … 7 Sunday), as a socket client or the web console
 * hands it over: the command line reads the name with `weekday`.
 */
export function weekdayNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 7) {
    throw usage(`${name} must be a day 1 (Monday) to 7 (Sunday), not ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Local minutes `{start, end}` already as numbers (what `minuteRange` makes of `08:00-18:00`):
 * a start 0 … 1439, an end after it on the same day, at most 1440 (midnight).
 */
export function minuteRangeValue(value: unknown, name: string): { start: number; end: number } {
  const { start, end } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const minute = (v: unknown, max: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
  if (!minute(start, 1439) || !minute(end, 1440)) {
    throw usage(
      `${name} must be minutes after midnight {start: 0 to 1439, end: up to 1440}, not ${JSON.stringify(value)}`,
    );
  }
  const range = { start: start as number, end: end as number };
  if (range.end <= range.start) {
    throw usage(
      `${name}: the end must be after the start on the same day (overnight access is two windows)`,
    );
  }
  return range;
}

/** A calendar date YYYY-MM-DD that exists. */
export function calendarDate(value: string, name: string): string {
  return valueOf(readCalendarDate(value.trim()), name);
}

/** Free text (a name, a label, a description): the one rule of src/domain/values/free-text. */
export function freeText(value: string, what: string, max = 200): string {
  const problem = freeTextProblem(value, max);
  if (problem !== undefined) throw usage(`${what} ${problem}`);
  return value.trim();
}

export function name(value: string, what: string): string {
  return freeText(value, what);
}
