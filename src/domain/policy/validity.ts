import type { Validity } from '../model.js';

export type ValidityStatus = 'valid' | 'not_yet_valid' | 'expired';

/** Where `nowMs` falls in a validity window: the start is inclusive, the end exclusive. */
export function validityAt(record: Validity, nowMs: number): ValidityStatus {
  if (record.validFromMs != null && nowMs < record.validFromMs) return 'not_yet_valid';
  if (record.validUntilMs != null && nowMs >= record.validUntilMs) return 'expired';
  return 'valid';
}
