import { checkRow, WELL_FORMED } from './check-rows.js';
import { id } from './field-checks.js';
import type { SectionRule } from './section-rule.js';
import type { SectionName, SectionRows } from './wire.js';

/**
 * A link row named by its two ids, packed into one number like a permission's key (the ids
 * of a real cabinet are far below 2^26).
 */
function link<S extends 'groupMembers' | 'keySetMembers'>(
  first: keyof SectionRows[S] & string,
  firstSection: SectionName,
  second: keyof SectionRows[S] & string,
  secondSection: SectionName,
  what: string,
): SectionRule<S> {
  const SPAN = 2 ** 26;
  const pair = (row: SectionRows[S]) =>
    [row[first] as unknown as number, row[second] as unknown as number] as const;
  const rule: SectionRule<S> = {
    fields: { [first]: id, [second]: id } as SectionRule<S>['fields'],
    key(row) {
      const [a, b] = pair(row);
      return b < SPAN && a <= Number.MAX_SAFE_INTEGER / SPAN ? a * SPAN + b : `${a}:${b}`;
    },
    keyFields: [first, second],
    keyPath: '',
    keyText: (row) => `${first}=${pair(row)[0]},${second}=${pair(row)[1]}`,
    describe(key) {
      const [a, b] =
        typeof key === 'number' ? [Math.floor(key / SPAN), key % SPAN] : key.split(':');
      return `${what} ${first}=${a},${second}=${b}`;
    },
    removal(value, path, context, problems) {
      const verdict = checkRow(rule, value, path, undefined, context, problems);
      return verdict === WELL_FORMED ? rule.key(value as SectionRows[S]) : undefined;
    },
    unique: [],
    references: [
      { field: first, section: firstSection },
      { field: second, section: secondSection },
    ],
    optionalSection: true,
  };
  return rule;
}

export const groupMembers = link<'groupMembers'>(
  'holderId',
  'holders',
  'groupId',
  'accessGroups',
  'the membership',
);
export const keySetMembers = link<'keySetMembers'>(
  'keySetId',
  'keySets',
  'keyId',
  'keys',
  'the key set member',
);
