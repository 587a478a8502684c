/**
 * The one strict reader of the times people and servers write: instants (a date and time with
 * its zone), calendar dates and local clock times. Every entry point (the custodian's options,
 * CSV import, the sync command, signed commands) reads through here, because `Date.parse`
 * quietly rolls impossible dates over: 2026-02-30 becomes 2 March, and a typo extends a
 * contractor's access. Pure: each reader returns the value or the problem, and the caller adds
 * which option or field it was.
 *
 * Accepted instants (an RFC 3339 profile, documented in docs/operations.md):
 *
 *   YYYY-MM-DDTHH:MM[:SS[.s|.ss|.sss]](Z|+HH:MM|-HH:MM)
 *
 * - `T` and `Z` upper-case; no space separator, no week or ordinal dates, no basic format.
 * - At most three fraction digits: the cabinet keeps milliseconds, and a finer time could not
 *   be given back exactly.
 * - Hours 00–23: `24:00` is refused (write 00:00 of the next day); seconds 00–59 (no leap
 *   second: the cabinet's clock never shows one).
 * - The zone is required. An offset is one some zone can have: −12:00 to +14:00, minutes 00, 30
 *   or 45. `-00:00` (RFC 3339's "offset unknown") is refused: write `Z`.
 * - The instant lies in 1970–9999 (UTC), so that its canonical form reads back as itself.
 */

import { quoted } from './free-text.js';

export type Reading<T> = { ok: true; value: T } | { ok: false; problem: string };

/** An instant as milliseconds since the epoch and its canonical text (UTC, milliseconds). */
export interface Instant {
  ms: number;
  iso: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const EARLIEST_INSTANT_MS = 0;
/** 9999-12-31T23:59:59.999Z: the last instant whose canonical text has a four-digit year. */
export const LATEST_INSTANT_MS = 253_402_300_799_999;

const EXAMPLE = 'e.g. 2026-12-31T18:00Z or 2026-12-31T18:00+01:00';

const INSTANT_SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_SHAPE = /^(\d{2}):(\d{2})$/;

const fail = <T>(problem: string): Reading<T> => ({ ok: false, problem });

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** What is wrong with year, month and day, or undefined when that day exists. */
function calendarProblem(year: number, month: number, day: number, text: string) {
  if (year < 1970) return `${text}: years before 1970 are not accepted`;
  if (month < 1 || month > 12) return `${text}: month ${pad(month)} is not a month (01 to 12)`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return `${text} is not a date in ${MONTHS[month - 1]} ${year} (it has ${days} days)`;
  }
  return undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** What is wrong with a zone offset such as +01:00, or undefined; the offset in minutes. */
function readOffset(zone: string): Reading<number> {
  if (zone === 'Z') return { ok: true, value: 0 };
  if (zone === '-00:00') return fail('offset -00:00 means "offset unknown": write Z for UTC');
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  const total = sign * (hours * 60 + minutes);
  if (![0, 30, 45].includes(minutes) || total < -12 * 60 || total > 14 * 60) {
    return fail(
      `offset ${zone} is not one any time zone has (-12:00 to +14:00, minutes 00, 30 or 45)`,
    );
  }
  return { ok: true, value: total };
}

/** Reads an instant in the accepted form (above); the value is its canonical UTC form. */
export function readInstant(text: string): Reading<Instant> {
  const m = INSTANT_SHAPE.exec(text);
  if (!m) {
    if (DATE_SHAPE.test(text)) {
      return fail(
        `${quoted(text)} is a date without a time and zone: whose midnight? Write the instant, ${EXAMPLE}`,
      );
    }
    return fail(`${quoted(text)} is not a date and time with its zone, ${EXAMPLE}`);
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string | undefined,
    string | undefined,
  ];
  if (zone === undefined) {
    return fail(
      `${quoted(text)} has no zone: add Z for UTC or the offset, e.g. ${text}Z or ${text}+01:00`,
    );
  }
  const [year, month, day, hour, minute] = [y, mo, d, h, mi].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = s === undefined ? 0 : Number(s);
  const dateProblem = calendarProblem(year, month, day, `${y}-${mo}-${d}`);
  if (dateProblem) return fail(dateProblem);
  if (hour > 23) {
    return fail(
      hour === 24
        ? `${quoted(text)}: hour 24 is not accepted; write 00:00 of the next day`
        : `${quoted(text)}: hour ${h} is not an hour (00 to 23)`,
    );
  }
  if (minute > 59) return fail(`${quoted(text)}: minute ${mi} is not a minute (00 to 59)`);
  if (second > 59) {
    return fail(`${quoted(text)}: second ${s} is not a second (00 to 59; no leap seconds)`);
  }
  const offset = readOffset(zone);
  if (!offset.ok) return fail(`${quoted(text)}: ${offset.problem}`);
  const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset.value * 60_000;
  if (ms < EARLIEST_INSTANT_MS || ms > LATEST_INSTANT_MS) {
    return fail(`${quoted(text)} is outside 1970 to 9999 (UTC)`);
  }
  // In UTC the canonical text is the fields themselves; building it so is several times
  // cheaper than Date#toISOString, and a sync of 100,000 holders reads every validity.
  const iso =
    offset.value === 0
      ? `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}.${(fraction ?? '').padEnd(3, '0')}Z`
      : formatInstant(ms);
  return { ok: true, value: { ms, iso } };
}

/**
 * The canonical text of an instant: UTC with milliseconds, as every time column stores it.
 * Read back with readInstant it gives the same instant.
 */
export function formatInstant(ms: number): string {
  if (!Number.isInteger(ms) || ms < EARLIEST_INSTANT_MS || ms > LATEST_INSTANT_MS) {
    throw new RangeError(`no canonical text for the instant ${ms}`);
  }
  return new Date(ms).toISOString();
}

/** A calendar date YYYY-MM-DD that exists (a local date: schedule exceptions). */
export function readCalendarDate(text: string): Reading<string> {
  const m = DATE_SHAPE.exec(text);
  if (!m) return fail(`${quoted(text)} is not a date YYYY-MM-DD, e.g. 2026-12-25`);
  const problem = calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]), text);
  if (problem) return fail(problem);
  return { ok: true, value: text };
}

/**
 * A local clock time HH:MM as minutes after midnight. `24:00` (1440) only where the end of a
 * day is meant (`Mon 18:00-24:00`): as a start or a curfew it would be the next day's 00:00.
 */
export function readClockTime(text: string, endOfDay = false): Reading<number> {
  const m = CLOCK_SHAPE.exec(text);
  const range = endOfDay ? '00:00 to 24:00' : '00:00 to 23:59';
  if (!m) return fail(`${quoted(text)} is not a time HH:MM (${range})`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (minute > 59) return fail(`${quoted(text)}: minute ${m[2]} is not a minute (00 to 59)`);
  if (hour === 24 && minute === 0 && endOfDay) return { ok: true, value: 1440 };
  if (hour > 23) {
    return fail(
      hour === 24 && minute === 0
        ? `${quoted(text)}: 24:00 is only accepted as the end of a window; the start of a day is 00:00`
        : `${quoted(text)} is not a time of day (${range})`,
    );
  }
  return { ok: true, value: hour * 60 + minute };
}
