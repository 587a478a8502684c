/** Field checks for the policy's sections: each returns what is wrong, or undefined. */

import { readCalendarDate, readInstant } from '../values/instant.js';

/** The wire form of the set's instants: UTC with seconds (a narrower form of the one reader's). */
const WIRE_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * An ISO 8601 UTC instant that exists, or null. The shape is the contract's; the calendar is
 * the one instant reader's, so 2026-02-30 is refused here as everywhere, never rolled over.
 */
export function instantOrNull(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string' || !WIRE_INSTANT.test(value)) {
    return 'must be an ISO 8601 UTC time (2026-12-01T18:00:00Z) or null';
  }
  const reading = readInstant(value);
  return reading.ok ? undefined : reading.problem;
}

export function calendarDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a calendar date YYYY-MM-DD';
  const reading = readCalendarDate(value);
  return reading.ok ? undefined : reading.problem;
}

export function weekday(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 7
    ? undefined
    : 'must be a weekday 1 (Monday) to 7 (Sunday)';
}

export function startMinute(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 1439
    ? undefined
    : 'must be a minute of the day 0 to 1439';
}

export function endMinute(value: unknown): string | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1440
    ? undefined
    : 'must be a minute of the day 1 to 1440';
}

export const orNull =
  <C>(check: (value: unknown, context: C) => string | undefined) =>
  (value: unknown, context: C): string | undefined =>
    value === null ? undefined : check(value, context);

export const oneOf =
  (...allowed: readonly string[]) =>
  (value: unknown): string | undefined =>
    typeof value === 'string' && allowed.includes(value)
      ? undefined
      : `must be one of ${allowed.join(', ')}`;

/** Start before end when both are given (validity instants or minutes). */
export function ordered(
  from: string | number | null | undefined,
  until: string | number | null | undefined,
): boolean {
  if (from == null || until == null) return true;
  return typeof from === 'string' && typeof until === 'string'
    ? Date.parse(from) < Date.parse(until)
    : from < until;
}
