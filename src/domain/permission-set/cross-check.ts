import { keyFinder } from './key-finder.js';
import type { RowKey, SectionRule, SetContext } from './section-rule.js';
import { SECTION_NAMES, SECTIONS } from './sections.js';
import type { SectionName, SectionRows } from './wire.js';

/** The well-formed rows of one section, where each came from, and who else is present. */
export interface Located<S extends SectionName> {
  rows: Array<SectionRows[S]>;
  /** Where row `index` is in the message, for problems; called on its own, without `this`. */
  path: (index: number) => string;
  /** Keys of rows left out for a bad field: present, so nothing referring to them is wrong. */
  known: Set<RowKey>;
}

export type LocatedSections = { [S in SectionName]: Located<S> };

/** Identities, unique fields, references and state-dependent checks, across whole sections. */
export function crossCheck(
  sections: LocatedSections,
  context: SetContext,
  problems: string[],
  removedBy: (section: SectionName, key: RowKey) => string | undefined = () => undefined,
): void {
  const keysOf = new Map<SectionName, KeyIndex>();
  for (const name of SECTION_NAMES) {
    keysOf.set(name, checkKeys(name, sections[name], problems));
    checkUnique(name, sections[name], problems);
  }
  for (const name of SECTION_NAMES) {
    checkReferences(name, sections, keysOf, removedBy, problems);
    checkExtra(name, sections[name], context, problems);
  }
}

/** The keys of a section, for references to look up. */
interface KeyIndex {
  has(key: RowKey): boolean;
}

/**
 * Reports keys that appear more than once. Keys are numbers in practice: sorted in a typed
 * array (natively, and already in order when the server sends rows so) they show duplicates
 * side by side and serve as the index, far cheaper than a hash table of 200,000 keys. Only
 * when there is a duplicate to name, or a key is a string, does a Map do the work.
 */
function checkKeys<S extends SectionName>(
  name: S,
  { rows, path }: Located<S>,
  problems: string[],
): KeyIndex {
  const rule: SectionRule<S> = SECTIONS[name];
  const keys = rows.map((row) => rule.key(row));
  const sorted = sortedWithoutDuplicates(keys);
  if (sorted) {
    const find = keyFinder(sorted);
    return { has: (key) => find(key) >= 0 };
  }
  const seen = new Map<RowKey, number>();
  keys.forEach((key, i) => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      const what = `${rule.describe(key)} appears more than once (also ${path(first)})`;
      problems.push(`${path(i)}${rule.keyPath}: ${what}`);
    }
  });
  return seen;
}

function checkUnique<S extends SectionName>(
  name: S,
  { rows, path }: Located<S>,
  problems: string[],
): void {
  const rule: SectionRule<S> = SECTIONS[name];
  for (const unique of rule.unique) {
    const seen = new Map<unknown, number>();
    for (let i = 0; i < rows.length; i++) {
      const value = (rows[i] as SectionRows[S])[unique.field];
      const other = seen.get(value);
      if (other === undefined) {
        seen.set(value, i);
        continue;
      }
      const owner = rule.describe(rule.key(rows[other] as SectionRows[S]));
      problems.push(`${path(i)}.${unique.field}: also ${unique.what} of ${owner} (${path(other)})`);
    }
  }
}

/** The keys sorted, or undefined if one is a string or two are equal. */
function sortedWithoutDuplicates(keys: RowKey[]): Float64Array | undefined {
  const sorted = new Float64Array(keys.length);
  let inOrder = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key !== 'number') return undefined;
    sorted[i] = key;
    if (i > 0 && key <= (sorted[i - 1] as number)) inOrder = false;
  }
  if (!inOrder) sorted.sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) return undefined;
  }
  return sorted;
}

function checkReferences<S extends SectionName>(
  name: S,
  sections: LocatedSections,
  keysOf: Map<SectionName, KeyIndex>,
  removedBy: (section: SectionName, key: RowKey) => string | undefined,
  problems: string[],
): void {
  const { rows, path }: Located<S> = sections[name];
  for (const ref of SECTIONS[name].references) {
    const targets = keysOf.get(ref.section);
    const known = sections[ref.section].known;
    for (let i = 0; i < rows.length; i++) {
      const target = (rows[i] as SectionRows[S])[ref.field] as RowKey | null | undefined;
      // An optional reference left empty names nothing (a grant to a group has no holder).
      if (target == null) continue;
      if (targets?.has(target) || known.has(target)) continue;
      const removal = removedBy(ref.section, target);
      problems.push(
        `${path(i)}.${ref.field}: ${SECTIONS[ref.section].describe(target)} is not in the set` +
          (removal ? ` (removed by ${removal})` : ''),
      );
    }
  }
}

function checkExtra<S extends SectionName>(
  name: S,
  { rows, path }: Located<S>,
  context: SetContext,
  problems: string[],
): void {
  const extra = SECTIONS[name].extra;
  if (!extra) return;
  for (const p of extra(rows, context)) problems.push(`${path(p.index)}.${p.field}: ${p.problem}`);
}

export function locate<S extends SectionName>(
  located: LocatedSections,
  name: S,
  section: Located<S>,
): void {
  (located as { [K in S]: Located<K> })[name] = section;
}
