import { KEY_STATES, KEY_TIERS, RETURN_POLICIES } from '../domain/values/key-kinds.js';
import { KeywardenError } from '../errors.js';
import { instant } from './values.js';

/** Fields that hold an instant with its zone, stored as canonical UTC text. */
const INSTANTS = ['validFrom', 'validUntil'] as const;
/** Fields that hold a count, with the least value each may take. */
const COUNTS = { maxKeysOut: 0, maxLoanMinutes: 1 } as const;
/** Fields that hold one of a fixed set of words; `null` where the field may be cleared. */
const WORDS: Readonly<Record<string, { words: readonly string[]; nullable: boolean }>> = {
  tier: { words: KEY_TIERS, nullable: true },
  state: { words: KEY_STATES, nullable: false },
  returnPolicy: { words: RETURN_POLICIES, nullable: false },
};
/** Fields that hold text (checked further by the operation) and flags. */
const TEXTS = ['name', 'label'] as const;
const FLAGS = ['enabled'] as const;
/** Local minutes after midnight. */
const MINUTES_OF_DAY = ['curfewMinute'] as const;

/**
 * The CLI parses its options into checked values; a web form or a socket client hands over
 * plain JSON, where `validUntil: "next week"` or `maxLoanMinutes: -5` would otherwise reach the
 * records. So every operation passes its fields through here: instants are checked and made
 * canonical (a value that is already canonical comes back unchanged), counts must be whole
 * numbers, words (a key's tier, state, return policy) one of their list, flags booleans;
 * null (no bound) and undefined (not given) pass. With `only`, a field the operation does not
 * take is refused: the audit event would otherwise record it although nothing applied it.
 * Errors name the field.
 */
export function checkedInput<T extends object>(
  input: T,
  /** The fields this operation takes: any other is refused, rather than recorded unapplied. */
  only?: readonly (keyof T & string)[],
): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new KeywardenError('USAGE', `expected an object of fields, not ${JSON.stringify(input)}`);
  }
  const fields = { ...input } as Record<string, unknown>;
  if (only) {
    const unknown = Object.keys(fields).filter((name) => !only.includes(name as keyof T & string));
    if (unknown.length > 0) {
      throw new KeywardenError(
        'USAGE',
        `no such field: ${unknown.join(', ')} (this operation takes ${only.join(', ')})`,
      );
    }
  }
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
  for (const [name, { words, nullable }] of Object.entries(WORDS)) {
    const value = fields[name];
    if (value === undefined || (value === null && nullable)) continue;
    if (typeof value !== 'string' || !words.includes(value)) {
      throw wrong(name, `one of ${words.join(', ')}${nullable ? ' or null' : ''}`, value);
    }
  }
  for (const name of TEXTS) {
    if (fields[name] !== undefined && typeof fields[name] !== 'string') {
      throw wrong(name, 'text', fields[name]);
    }
  }
  for (const name of FLAGS) {
    if (fields[name] !== undefined && typeof fields[name] !== 'boolean') {
      throw wrong(name, 'true or false', fields[name]);
    }
  }
  for (const name of MINUTES_OF_DAY) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 1439) {
      throw wrong(name, 'a minute of the day, 0 to 1439', value);
    }
  }
  return fields as T;
}

function wrong(name: string, expected: string, value: unknown): KeywardenError {
  return new KeywardenError('USAGE', `${name} must be ${expected}, not ${JSON.stringify(value)}`);
}
