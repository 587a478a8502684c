/**
 * The permission set the central server pushes, and a pure validator for it. A full set is the
 * whole truth at a version; a delta is upserts and removals on top of one base version. Both
 * are checked here without I/O: a delta is merged with the current rows (passed in as data)
 * and the set that would result is checked like a full one, so a delta can never leave a set
 * that a full sync would have refused.
 *
 * The sections are declared once, in permission-set/: their row types in wire.ts, and their
 * rules (fields, identity, references, checks) one module each, listed in order in
 * sections.ts. The validator, the merge, the store's diff and the store's tables
 * (src/store/sync-tables.ts) read that declaration; adding a section is a row type, a rule
 * and its entry there, and one table mapping in the store.
 */

export * from './permission-set/envelope.js';
export { keyFinder } from './permission-set/key-finder.js';
export type { RowKey, SectionRule, SetContext } from './permission-set/section-rule.js';
export { emptyPolicySections, ruleOf, SECTION_NAMES, SECTIONS } from './permission-set/sections.js';
export { validatePermissionDelta } from './permission-set/validate-delta.js';
export { validatePermissionSet } from './permission-set/validate-set.js';
export type { Validation } from './permission-set/validation.js';
export type * from './permission-set/wire.js';
