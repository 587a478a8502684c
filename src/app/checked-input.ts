import { KeywardenError } from '../errors.js';
import { instant } from './values.js';

/** Fields that hold an instant with its zone, stored as canonical UTC text. */
const INSTANTS = ['validFrom', 'validUntil'] as const;
/** Fields that hold a count, with the least value each may take. */
const COUNTS = { maxKeysOut: 0, maxLoanMinutes: 1 } as const;

/**
 * The CLI parses its options into checked values; a web form or a socket client hands over
 * plain JSON, where `validUntil: "next week"` or `maxLoanMinutes: -5` would otherwise reach the
 * records. So every operation passes its fields through here: instants are checked and made
 * canonical (a value that is already canonical comes back unchanged), counts must be whole
 * numbers; null (no bound) and undefined (not given) pass. Errors name the field.
 */
export function checkedInput<T extends object>(input: T): T {
  const fields = { ...input } as Record<string, unknown>;
  for (const name of INSTANTS) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw wrong(name, 'an instant with its zone', value);
    fields[name] = instant(value, name);
  }
  for (const [name, min] of Object.entries(COUNTS)) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw wrong(name, `a whole number of at least ${min}`, value);
    }
  }
  return fields as T;
}

function wrong(name: string, expected: string, value: unknown): KeywardenError {
  return new KeywardenError('USAGE', `${name} must be ${expected}, not ${JSON.stringify(value)}`);
}
