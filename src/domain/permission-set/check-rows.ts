import type { FieldCheck, RowKey, SectionRule, SetContext } from './section-rule.js';
import { isRecord } from './validation.js';
import type { SectionName, SectionRows } from './wire.js';

/**
 * Checks each row's fields. Returns the well-formed rows (untouched), their indexes in `list`,
 * and the keys of the rows left out whose key fields were fine. Runs 400,000 times for a large
 * set, so it allocates nothing for a good row: paths are built only for a problem.
 */
export function checkRows<S extends SectionName>(
  rule: SectionRule<S>,
  list: unknown[],
  context: SetContext,
  problems: string[],
  path: string,
): { rows: Array<SectionRows[S]>; index: number[]; known: Set<RowKey> } {
  const checked = {
    rows: [] as Array<SectionRows[S]>,
    index: [] as number[],
    known: new Set<RowKey>(),
  };
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    const verdict = checkRow(rule, value, path, i, context, problems);
    if (verdict === WELL_FORMED) {
      checked.rows.push(value as SectionRows[S]);
      checked.index.push(i);
    } else if (verdict === KEY_READABLE) checked.known.add(rule.key(value as SectionRows[S]));
  }
  return checked;
}

/** What checkRow found: a row, or not but its key fields are fine, or not even that. */
export const WELL_FORMED = 0;
export const KEY_READABLE = 1;
export const UNREADABLE = 2;

/**
 * Checks `value` as a row of the rule's section, reporting at `path[index]` (or at `path` when
 * index is undefined). A well-formed value is a row as it stands: every field was checked and
 * there are no others. A KEY_READABLE one has good key fields, all that rule.key reads.
 */
export function checkRow<S extends SectionName>(
  rule: SectionRule<S>,
  value: unknown,
  path: string,
  index: number | undefined,
  context: SetContext,
  problems: string[],
): number {
  const at = () => (index === undefined ? path : `${path}[${index}]`);
  if (!isRecord(value)) {
    problems.push(`${at()}: must be an object`);
    return UNREADABLE;
  }
  let verdict = WELL_FORMED;
  const fields = rule.fields as Record<string, FieldCheck>;
  let present = 0;
  for (const field of fieldNames(rule)) {
    const has = field in value;
    if (has) present++;
    const problem = has
      ? fields[field]?.(value[field], context)
      : (rule.optional as readonly string[] | undefined)?.includes(field)
        ? undefined
        : 'is missing';
    if (problem === undefined) continue;
    problems.push(`${at()}.${field}: ${problem}`);
    const keyField = (rule.keyFields as readonly string[]).includes(field);
    verdict = keyField || verdict === UNREADABLE ? UNREADABLE : KEY_READABLE;
  }
  // Only when there are more fields than the known ones present is any of them unknown.
  let own = 0;
  for (const _ in value) own++;
  if (own === present) return verdict;
  for (const field in value) {
    if (field in fields) continue;
    problems.push(`${at()}.${field}: unknown field`);
    if (verdict === WELL_FORMED) verdict = KEY_READABLE;
  }
  return verdict;
}

const fieldNameCache = new WeakMap<object, string[]>();

/** The rule's field names, listed once: Object.keys per row would allocate 400,000 arrays. */
function fieldNames<S extends SectionName>(rule: SectionRule<S>): string[] {
  let names = fieldNameCache.get(rule.fields);
  if (!names) fieldNameCache.set(rule.fields, (names = Object.keys(rule.fields)));
  return names;
}
