import type { Database } from 'better-sqlite3';
import type { PinPepper } from './pin-hash.js';
import { pinPepperOf } from './pin-pepper.js';
import { cachedStatement } from './statement-cache.js';

/**
 * A credential's PIN hashes, with the pepper they were made with, for the shell's slow check;
 * undefined when it has no PIN.
 */
export function pinHashesOf(
  db: Database,
  credentialId: number,
): { pin: string; duress: string | null; pepper: PinPepper } | undefined {
  const row = cachedStatement(
    db,
    'SELECT pin_hash AS pin, duress_pin_hash AS duress FROM credentials WHERE id = ?',
  ).get(credentialId) as { pin: string | null; duress: string | null } | undefined;
  return row?.pin == null
    ? undefined
    : { pin: row.pin, duress: row.duress, pepper: pinPepperOf(db) };
}
