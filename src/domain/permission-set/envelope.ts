import { accept, isRecord, malformed, type Validation } from './validation.js';
import type { SyncEnvelope } from './wire.js';

/** Tells a full set from a delta and reads their versions; anything else is malformed. */
export function readSyncEnvelope(payload: unknown): Validation<SyncEnvelope> {
  if (!isRecord(payload)) return malformed(['payload: must be an object']);
  const problems: string[] = [];
  const version = versionOf(payload, 'version', problems);
  if (!('baseVersion' in payload)) {
    return problems.length > 0 ? malformed(problems) : accept({ form: 'full', version });
  }
  const baseVersion = versionOf(payload, 'baseVersion', problems);
  if (problems.length === 0 && version <= baseVersion) {
    problems.push(`version: ${version} must be greater than baseVersion ${baseVersion}`);
  }
  return problems.length > 0
    ? malformed(problems)
    : accept({ form: 'delta', version, baseVersion });
}

function versionOf(body: Record<string, unknown>, field: string, problems: string[]): number {
  const value = body[field];
  if (Number.isSafeInteger(value) && (value as number) > 0) return value as number;
  problems.push(`${field}: must be a positive integer`);
  return 0;
}
