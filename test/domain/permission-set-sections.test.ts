import { describe, expect, it } from 'vitest';
import {
  emptyPolicySections,
  SECTION_NAMES,
  SECTIONS,
  type KeptSectionName,
} from '../../src/domain/permission-set.js';

/** The declaration every reader of the sections relies on, checked where a slip would hide. */
describe('the sections of the permission set, declared once', () => {
  it('lists every section after the sections its rows refer to (the store inserts in this order)', () => {
    for (const [index, name] of SECTION_NAMES.entries()) {
      for (const reference of SECTIONS[name].references) {
        expect(SECTION_NAMES.indexOf(reference.section), `${name}.${reference.field}`).toBeLessThan(
          index,
        );
      }
    }
  });

  it('names only fields of its own section as key, optional, unique, reference or default', () => {
    for (const name of SECTION_NAMES) {
      const rule = SECTIONS[name];
      const fields = Object.keys(rule.fields);
      const named = [
        ...rule.keyFields,
        ...(rule.optional ?? []),
        ...rule.unique.map((unique) => unique.field),
        ...rule.references.map((reference) => reference.field),
        ...Object.keys(rule.defaults ?? {}),
      ];
      expect(fields, name).toEqual(expect.arrayContaining(named));
      expect(rule.keyFields.length, name).toBeGreaterThan(0);
    }
  });

  it('keeps the types of kept and empty-by-default sections in step with the rules', () => {
    // Every name of the type, or this fails to compile; and no other, or the next line fails.
    const keptNames: Record<KeptSectionName, true> = { tierRules: true, reasonCodes: true };
    const kept = Object.keys(keptNames) as KeptSectionName[];
    expect(SECTION_NAMES.filter((name) => SECTIONS[name].keptWhenAbsent)).toEqual(kept);
    expect(kept.every((name) => SECTIONS[name].optionalSection)).toBe(true);
    const optional = SECTION_NAMES.filter(
      (name) => SECTIONS[name].optionalSection && !SECTIONS[name].keptWhenAbsent,
    );
    expect(Object.keys(emptyPolicySections())).toEqual(optional);
  });
});
