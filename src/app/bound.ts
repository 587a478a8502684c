import type { ChangeScope } from '../store/custodian/scope.js';

/**
 * A store operation with its scope (database, log, actor, clock) already given: for the
 * operations that have no rule of their own beyond what the records answer (a lookup, a
 * listing, "no such holder").
 */
export function bound<A extends unknown[], R>(
  scope: ChangeScope,
  operation: (scope: ChangeScope, ...input: A) => R,
): (...input: A) => R {
  return (...input) => operation(scope, ...input);
}
