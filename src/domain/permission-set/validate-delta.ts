import { checkRows } from './check-rows.js';
import { crossCheck, locate, type Located, type LocatedSections } from './cross-check.js';
import { readSyncEnvelope } from './envelope.js';
import { keyFinder } from './key-finder.js';
import type { RowKey, SectionRule, SetContext } from './section-rule.js';
import { ruleOf, SECTION_NAMES, SECTIONS } from './sections.js';
import { setSection, unknownFields } from './validate-set.js';
import { accept, isRecord, malformed, type Validation } from './validation.js';
import type { PermissionSections, PermissionSet, SectionName, SectionRows } from './wire.js';

/**
 * Checks a delta against the current set and returns the set that would result (with the
 * delta's version). A removal must name a row that exists; a row may not be both upserted and
 * removed; references and unique fields are checked over the result, so removing a holder
 * whose credentials stay is a problem, named where the credential is.
 */
export function validatePermissionDelta(
  payload: unknown,
  /** A kept section left out (keptWhenAbsent) counts as empty: the store always gives them all. */
  current: Omit<PermissionSet, 'version'>,
  context: SetContext,
): Validation<PermissionSet> {
  const envelope = readSyncEnvelope(payload);
  if (!envelope.ok) return envelope;
  if (envelope.value.form !== 'delta') return malformed(['baseVersion: a delta must have one']);
  const body = payload as Record<string, unknown>;
  const problems = unknownFields(body, ['version', 'baseVersion', 'upsert', 'remove'], '');
  const upsert = sectionLists(body, 'upsert', problems);
  const remove = sectionLists(body, 'remove', problems);
  if (problems.length > 0 || !upsert || !remove) return malformed(problems);

  const set = { version: envelope.value.version } as PermissionSet;
  const located = {} as LocatedSections;
  const removedAt = new Map<SectionName, Map<RowKey, string>>();
  for (const name of SECTION_NAMES) {
    const rows = (current as Partial<PermissionSections>)[name] ?? [];
    const merged = mergeSection(name, rows, upsert[name], remove[name], context, problems);
    setSection(set, name, merged.rows);
    locate(located, name, merged);
    removedAt.set(name, merged.removedAt);
  }
  crossCheck(located, context, problems, (name, key) => removedAt.get(name)?.get(key));
  return problems.length > 0 ? { ok: false, kind: 'invalid', problems } : accept(set);
}

function mergeSection<S extends SectionName>(
  name: S,
  current: Array<SectionRows[S]>,
  upsertList: unknown[] | undefined,
  removeList: unknown[] | undefined,
  context: SetContext,
  problems: string[],
): Located<S> & { removedAt: Map<RowKey, string> } {
  const rule: SectionRule<S> = SECTIONS[name];
  const upserted = checkRows(ruleOf(name), upsertList ?? [], context, problems, `upsert.${name}`);
  const upsertKeys = new Set(upserted.known);
  for (const row of upserted.rows) upsertKeys.add(rule.key(row));
  const inCurrent = keyFinder(current.map((row) => rule.key(row)));
  const removedAt = new Map<RowKey, string>();
  (removeList ?? []).forEach((entry, i) => {
    const path = `remove.${name}[${i}]`;
    const key = rule.removal(entry, path, context, problems);
    if (key === undefined) return;
    const what = rule.describe(key);
    const earlier = removedAt.get(key);
    if (earlier) problems.push(`${path}: ${what} is removed more than once (also ${earlier})`);
    else if (upsertKeys.has(key)) problems.push(`${path}: ${what} is also upserted`);
    else if (inCurrent(key) < 0) problems.push(`${path}: ${what} is not in the current set`);
    else removedAt.set(key, path);
  });
  const kept = current.filter((row) => {
    const key = rule.key(row);
    return !upsertKeys.has(key) && !removedAt.has(key);
  });
  // Upserts after the kept rows: a clash between the two is reported at the upsert's path.
  return {
    rows: [...kept, ...upserted.rows],
    path: (i) =>
      i < kept.length
        ? `current.${name}[${rule.keyText(kept[i] as SectionRows[S])}]`
        : `upsert.${name}[${upserted.index[i - kept.length]}]`,
    known: upserted.known,
    removedAt,
  };
}

function sectionLists(
  body: Record<string, unknown>,
  field: 'upsert' | 'remove',
  problems: string[],
): { [S in SectionName]?: unknown[] } | undefined {
  const value = body[field];
  if (!isRecord(value)) {
    problems.push(`${field}: must be an object with a list per section`);
    return undefined;
  }
  problems.push(...unknownFields(value, SECTION_NAMES, `${field}.`));
  for (const name of SECTION_NAMES) {
    if (name in value && !Array.isArray(value[name]))
      problems.push(`${field}.${name}: must be an array`);
  }
  return value;
}
