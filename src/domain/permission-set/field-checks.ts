/** The field checks several sections share; each returns what is wrong, or undefined. */

import { freeTextProblem } from '../values/free-text.js';
import { ordered } from '../policy/set-checks.js';
import type { SetKeyTier, SetValidity } from './wire.js';
import type { FieldCheck, RowKey, SetContext } from './section-rule.js';

export const KEY_TIERS: readonly SetKeyTier[] = ['grand_master', 'master', 'sub_master', 'change'];

export const id: FieldCheck = (value) =>
  Number.isSafeInteger(value) && (value as number) > 0 ? undefined : 'must be a positive integer';

export const flag: FieldCheck = (value) =>
  typeof value === 'boolean' ? undefined : 'must be true or false';

/** Free text: the one rule of values/free-text (no controls, no bidi overrides), as sent. */
export const text =
  (max: number): FieldCheck =>
  (value) => {
    if (typeof value !== 'string' || value.length > max || value.trim().length === 0) {
      return `must be 1 to ${max} characters, not blank`;
    }
    return freeTextProblem(value, max);
  };

export const matching =
  (pattern: RegExp, what: string): FieldCheck =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? undefined : `must be ${what}`;

export const slot: FieldCheck = (value, context) => {
  if (!Number.isSafeInteger(value)) return 'must be a slot number';
  const n = value as number;
  return n >= 1 && n <= context.slotCount
    ? undefined
    : `slot ${n} is outside 1..${context.slotCount}`;
};

/** Identity, its text and removal entries of a section whose rows are named by `id`. */
export const byId = {
  key: (row: { id: number }): RowKey => row.id,
  keyFields: ['id'] as const,
  keyPath: '.id',
  keyText: (row: { id: number }): string => `id=${row.id}`,
  removal(value: unknown, path: string, context: SetContext, problems: string[]) {
    const problem = id(value, context);
    if (problem === undefined) return value as number;
    problems.push(`${path}: ${problem}`);
    return undefined;
  },
};

/** A validity window must end after it starts. */
export function validityOrder(rows: ReadonlyArray<SetValidity>) {
  return rows.flatMap((row, index) =>
    ordered(row.validFrom, row.validUntil)
      ? []
      : [{ index, field: 'validUntil', problem: 'must be after validFrom' }],
  );
}
