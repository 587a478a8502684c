import type { Database } from 'better-sqlite3';
import { quoted } from '../../domain/values/free-text.js';
import { KeywardenError } from '../../errors.js';

/**
 * Refuses a group or key set name another one already has (compared without case): grants,
 * the access matrix and the console name them, and two of one name make a grant to the wrong
 * one easy and unseen. Checked inside the change's transaction, so two custodians adding the
 * same name at once cannot both succeed.
 */
export function refuseTakenName(
  db: Database,
  table: 'access_groups' | 'key_sets',
  what: 'group' | 'key set',
  name: string,
  exceptId: number | null = null,
): void {
  const taken = db
    .prepare(`SELECT id FROM ${table} WHERE name = ? COLLATE NOCASE AND id IS NOT ? LIMIT 1`)
    .get(name, exceptId) as { id: number } | undefined;
  if (taken) {
    throw new KeywardenError(
      'CONFLICT',
      `a ${what} name must be unique: ${what} ${taken.id} is already named ${quoted(name)}; nothing was changed`,
    );
  }
}
