/**
 * The value rules of the import files, one function per kind of column. Each returns the value
 * or throws a FieldError whose message says what is wrong with it, for the row's report.
 */

import { freeTextProblem, quoted } from '../domain/values/free-text.js';
import { readInstant } from '../domain/values/instant.js';

export class FieldError extends Error {}

/** Free text: the one rule of src/domain/values/free-text (no controls, no bidi overrides). */
export function text(raw: string, column: string, max: number): string {
  const problem = freeTextProblem(raw, max);
  if (problem !== undefined) throw new FieldError(`column ${column} ${problem}`);
  return raw.trim();
}

const TRUE = new Set(['1', 'true', 'yes']);
const FALSE = new Set(['0', 'false', 'no']);

/** 1/0, true/false or yes/no (any case); empty gives the default. */
export function flag(raw: string, column: string, empty: boolean): boolean {
  const value = raw.trim().toLowerCase();
  if (value === '') return empty;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new FieldError(
    `column ${column} must be 1 or 0 (or true/false, yes/no), not ${quoted(raw)}`,
  );
}

/**
 * An instant with its zone, read by the domain's one instant reader and stored as its
 * canonical UTC text like every time column; empty is no bound. A bare date is refused: whose
 * midnight it means is exactly what goes wrong.
 */
export function instant(raw: string, column: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  const reading = readInstant(value);
  if (!reading.ok) throw new FieldError(`column ${column}: ${reading.problem}`);
  return reading.value.iso;
}

/** A new record whose validity has already ended could never be used: almost always a typo. */
export function notEnded(until: string | null, now: Date, column: string): void {
  if (until !== null && Date.parse(until) <= now.getTime()) {
    throw new FieldError(
      `column ${column}: ${until} has already passed (it is ${now.toISOString()}); a new record valid only until then could never be used`,
    );
  }
}

/** A whole number of at least `min`; empty is null (no limit of its own). */
export function count(raw: string, column: string, min: number): number | null {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
    throw new FieldError(
      `column ${column} must be a whole number of at least ${min}, not ${quoted(raw)}`,
    );
  }
  return Number(value);
}

export function validityOrder(from: string | null, until: string | null): void {
  if (from !== null && until !== null && from >= until) {
    throw new FieldError(`valid_from must be before valid_until`);
  }
}
