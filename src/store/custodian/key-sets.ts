import { KeywardenError } from '../../errors.js';
import { keyFields } from './keys.js';
import { change, notFound, policyChanged, stamp, updated, type ChangeScope } from './scope.js';
import { refuseTakenName } from './unique-name.js';

export interface KeySetRow {
  id: number;
  name: string;
  keys: number[];
}

function keySetName(scope: Pick<ChangeScope, 'db'>, id: number): string {
  const row = scope.db.prepare('SELECT name FROM key_sets WHERE id = ?').get(id) as
    { name: string } | undefined;
  if (!row) throw notFound('key set', id);
  return row.name;
}

export function addKeySet(scope: ChangeScope, clean: string): number {
  return change(scope, () => {
    refuseTakenName(scope.db, 'key_sets', 'key set', clean);
    const id = Number(
      scope.db
        .prepare('INSERT INTO key_sets (name, created_at) VALUES (?, ?)')
        .run(clean, stamp(scope)).lastInsertRowid,
    );
    return { result: id, events: [policyChanged(scope, 'key_set', id, null, { name: clean })] };
  });
}

export function renameKeySet(scope: ChangeScope, id: number, clean: string): boolean {
  return change(scope, () => {
    const before = keySetName(scope, id);
    refuseTakenName(scope.db, 'key_sets', 'key set', clean, id);
    const events = updated(scope, 'key_set', id, { name: before }, { name: clean });
    if (events.length === 0) return { result: false };
    scope.db.prepare('UPDATE key_sets SET name = ? WHERE id = ?').run(clean, id);
    return { result: true, events };
  });
}

/** Refused while a grant names the set. */
export function removeKeySet(scope: ChangeScope, id: number): void {
  change(scope, () => {
    const name = keySetName(scope, id);
    const grants = scope.db
      .prepare('SELECT count(*) AS n FROM policy_grants WHERE key_set_id = ?')
      .get(id) as { n: number };
    if (grants.n > 0)
      throw new KeywardenError(
        'CONFLICT',
        `key set ${id} is named by ${grants.n} grant(s); revoke them first`,
      );
    const keys = keyIds(scope, id);
    scope.db.prepare('DELETE FROM key_set_members WHERE key_set_id = ?').run(id);
    scope.db.prepare('DELETE FROM key_sets WHERE id = ?').run(id);
    return {
      result: undefined,
      events: [policyChanged(scope, 'key_set', id, { name, keys }, null)],
    };
  });
}

export function addKeyToSet(scope: ChangeScope, setId: number, keyId: number): boolean {
  return change(scope, () => {
    keySetName(scope, setId);
    keyFields(scope, keyId);
    const added = scope.db
      .prepare('INSERT OR IGNORE INTO key_set_members (key_set_id, key_id) VALUES (?, ?)')
      .run(setId, keyId).changes;
    if (added === 0) return { result: false };
    return {
      result: true,
      events: [
        policyChanged(scope, 'key_set_member', `${setId}:${keyId}`, null, {
          keySetId: setId,
          keyId,
        }),
      ],
    };
  });
}

export function removeKeyFromSet(scope: ChangeScope, setId: number, keyId: number): boolean {
  return change(scope, () => {
    keySetName(scope, setId);
    // "was not in the set" would hide a mistyped key id.
    keyFields(scope, keyId);
    const removed = scope.db
      .prepare('DELETE FROM key_set_members WHERE key_set_id = ? AND key_id = ?')
      .run(setId, keyId).changes;
    if (removed === 0) return { result: false };
    return {
      result: true,
      events: [
        policyChanged(
          scope,
          'key_set_member',
          `${setId}:${keyId}`,
          { keySetId: setId, keyId },
          null,
        ),
      ],
    };
  });
}

function keyIds(scope: Pick<ChangeScope, 'db'>, setId: number): number[] {
  return (
    scope.db
      .prepare('SELECT key_id AS id FROM key_set_members WHERE key_set_id = ? ORDER BY key_id')
      .all(setId) as Array<{ id: number }>
  ).map((r) => r.id);
}

export function listKeySets(scope: Pick<ChangeScope, 'db'>): KeySetRow[] {
  const sets = scope.db.prepare('SELECT id, name FROM key_sets ORDER BY id').all() as Array<{
    id: number;
    name: string;
  }>;
  return sets.map((s) => ({ ...s, keys: keyIds(scope, s.id) }));
}
