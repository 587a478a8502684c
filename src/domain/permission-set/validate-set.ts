import { checkRows } from './check-rows.js';
import { crossCheck, locate, type LocatedSections } from './cross-check.js';
import { readSyncEnvelope } from './envelope.js';
import type { SectionRule, SetContext } from './section-rule.js';
import { ruleOf, SECTION_NAMES, SECTIONS } from './sections.js';
import { accept, malformed, type Validation } from './validation.js';
import type { PermissionSections, PermissionSet, SectionName, SectionRows } from './wire.js';

/**
 * Checks a full set. Every problem is reported: each row's own fields, then ids, unique fields
 * and references across the set among the rows that are well formed. A row with a bad field
 * but a readable id still counts as present, so its credentials are not reported twice.
 */
export function validatePermissionSet(
  payload: unknown,
  context: SetContext,
  /** The rows in force of the sections a full set may leave out to keep (keptWhenAbsent). */
  inForce: Partial<PermissionSections> = {},
): Validation<PermissionSet> {
  const envelope = readSyncEnvelope(payload);
  if (!envelope.ok) return envelope;
  if (envelope.value.form !== 'full') return malformed(['baseVersion: a full set has none']);
  const body = payload as Record<string, unknown>;
  const problems = unknownFields(body, ['version', ...SECTION_NAMES], '');
  for (const name of SECTION_NAMES) {
    if (body[name] === undefined && SECTIONS[name].optionalSection) continue;
    if (!Array.isArray(body[name])) problems.push(`${name}: must be an array`);
  }
  if (problems.length > 0) return malformed(problems);

  const set = { version: envelope.value.version } as PermissionSet;
  const located = {} as LocatedSections;
  for (const name of SECTION_NAMES) {
    if (body[name] === undefined && SECTIONS[name].keptWhenAbsent) {
      keepSection(located, name, inForce[name] ?? []);
      continue;
    }
    const checked = checkRows(
      ruleOf(name),
      (body[name] ?? []) as unknown[],
      context,
      problems,
      name,
    );
    setSection(set, name, checked.rows);
    locate(located, name, { ...checked, path: (i) => `${name}[${checked.index[i]}]` });
  }
  crossCheck(located, context, problems);
  return problems.length > 0 ? { ok: false, kind: 'invalid', problems } : accept(set);
}

/**
 * A kept section takes part in the checks across sections as it stands in force: a set that
 * removes a group a kept tier rule names is refused, at the rule's path under `current.`.
 */
function keepSection<S extends SectionName>(
  located: LocatedSections,
  name: S,
  rows: Array<SectionRows[S]>,
): void {
  const rule: SectionRule<S> = SECTIONS[name];
  locate(located, name, {
    rows,
    path: (i) => `current.${name}[${rule.keyText(rows[i] as SectionRows[S])}]`,
    known: new Set(),
  });
}

export function unknownFields(
  body: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
) {
  return Object.keys(body)
    .filter((field) => !known.includes(field))
    .map((field) => `${prefix}${field}: unknown section or field`);
}

export function setSection<S extends SectionName>(
  set: PermissionSet | PermissionSections,
  name: S,
  rows: Array<SectionRows[S]>,
): void {
  (set as PermissionSections)[name] = rows as PermissionSections[S];
}
