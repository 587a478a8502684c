/** Field checks for the policy's sections: each returns what is wrong, or undefined. */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 UTC instant, or null. */
export function instantOrNull(value: unknown): string | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : 'must be an ISO 8601 UTC time (2026-12-01T18:00:00Z) or null';
}

export function calendarDate(value: unknown): string | undefined {
  return typeof value === 'string' &&
    DATE.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
    ? undefined
    : 'must be a calendar date YYYY-MM-DD';
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
