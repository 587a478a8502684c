import {
  keyFinder,
  SECTION_NAMES,
  SECTIONS,
  type PermissionSections,
  type SectionName,
  type SectionRows,
  type SyncCounts,
} from '../domain/permission-set.js';

export interface SectionDiff<S extends SectionName> {
  added: Array<SectionRows[S]>;
  changed: Array<{ before: SectionRows[S]; after: SectionRows[S] }>;
  removed: Array<SectionRows[S]>;
}

export type SetDiff = { [S in SectionName]: SectionDiff<S> };

/**
 * What turns the set in force into the next one, section by section: rows matched by key and
 * compared over the fields the section declares. The current rows come from the database in
 * key order, so each next row finds its match by binary search over their keys: no hash table
 * of 400,000 rows and no sorting of what the server sent, in whatever order it sent it.
 */
export function diffSets(current: PermissionSections, next: Partial<PermissionSections>): SetDiff {
  const diff = {} as SetDiff;
  for (const name of SECTION_NAMES) {
    // A section the next set leaves out is one it keeps (SectionRule.keptWhenAbsent).
    put(diff, name, diffSection(name, current[name], next[name] ?? current[name]));
  }
  return diff;
}

export function countsOf(diff: SetDiff): SyncCounts {
  const counts = {} as SyncCounts;
  for (const name of SECTION_NAMES) {
    const d = diff[name];
    counts[name] = { added: d.added.length, changed: d.changed.length, removed: d.removed.length };
  }
  return counts;
}

function diffSection<S extends SectionName>(
  name: S,
  current: Array<SectionRows[S]>,
  next: Array<SectionRows[S]>,
): SectionDiff<S> {
  const rule = SECTIONS[name];
  const fields = Object.keys(rule.fields) as Array<keyof SectionRows[S]>;
  const find = keyFinder(current.map((row) => rule.key(row)));
  const matched = new Uint8Array(current.length);
  const diff: SectionDiff<S> = { added: [], changed: [], removed: [] };
  for (const after of next) {
    const at = find(rule.key(after));
    if (at < 0) {
      diff.added.push(after);
      continue;
    }
    matched[at] = 1;
    const before = current[at] as SectionRows[S];
    if (!sameFields(before, after, fields, rule.defaults)) diff.changed.push({ before, after });
  }
  current.forEach((row, i) => matched[i] === 0 && diff.removed.push(row));
  return diff;
}

/**
 * Field by field; an optional field left out reads as its default or null, so a set from a
 * server that does not send it matches the row in force.
 */
function sameFields<T>(
  a: T,
  b: T,
  fields: ReadonlyArray<keyof T>,
  defaults: Partial<T> | undefined,
): boolean {
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f] as keyof T;
    const x = a[field];
    const y = b[field];
    if (x === y) continue;
    if ((x ?? defaults?.[field] ?? null) !== (y ?? defaults?.[field] ?? null)) return false;
  }
  return true;
}

function put<S extends SectionName>(diff: SetDiff, name: S, section: SectionDiff<S>): void {
  (diff as { [K in S]: SectionDiff<K> })[name] = section;
}
