/**
 * The value rules of the import files, one function per kind of column. Each returns the value
 * or throws a FieldError whose message says what is wrong with it, for the row's report.
 */

export class FieldError extends Error {}

export function text(raw: string, column: string, max: number): string {
  const value = raw.trim();
  if (value.length === 0) throw new FieldError(`${column} is empty`);
  if (value.length > max) throw new FieldError(`${column} is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new FieldError(`${column} contains a control character (a line break or tab?)`);
  }
  return value;
}

const TRUE = new Set(['1', 'true', 'yes']);
const FALSE = new Set(['0', 'false', 'no']);

/** 1/0, true/false or yes/no (any case); empty gives the default. */
export function flag(raw: string, column: string, empty: boolean): boolean {
  const value = raw.trim().toLowerCase();
  if (value === '') return empty;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new FieldError(`${column} must be 1 or 0 (or true/false, yes/no), not "${raw}"`);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant with its zone (ISO 8601, `Z` or an offset), stored as UTC like every time column;
 * empty is no bound. A bare date is refused: whose midnight it means is exactly what goes wrong.
 */
export function instant(raw: string, column: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  const ms = INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms) || !sameCalendarDate(value)) {
    throw new FieldError(
      `${column} "${raw}" is not a date and time with its zone, e.g. 2026-03-01T00:00:00Z`,
    );
  }
  return new Date(ms).toISOString();
}

/** Date.parse rolls 2026-02-30 over to March; the written date must exist. */
function sameCalendarDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A whole number of at least `min`; empty is null (no limit of its own). */
export function count(raw: string, column: string, min: number): number | null {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
    throw new FieldError(`${column} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return Number(value);
}

export function validityOrder(from: string | null, until: string | null): void {
  if (from !== null && until !== null && from >= until) {
    throw new FieldError(`valid_from must be before valid_until`);
  }
}
