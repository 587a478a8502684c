import { change, notFound, type ChangeScope } from './scope.js';

/**
 * A credential's wrong PINs in a row (table pin_failures, migration 010, projected from the
 * event log). Only the count is kept, never what was typed.
 */
export function wrongPins(scope: Pick<ChangeScope, 'db'>, credentialId: number): number {
  const row = scope.db
    .prepare(
      `SELECT c.holder_id AS holderId, coalesce(f.wrong_pins, 0) AS wrongPins
         FROM credentials c LEFT JOIN pin_failures f ON f.credential_id = c.id WHERE c.id = ?`,
    )
    .get(credentialId) as { holderId: number; wrongPins: number } | undefined;
  if (!row) throw notFound('credential', credentialId);
  return row.wrongPins;
}

/**
 * Puts the count back to 0, ending a lock after too many wrong PINs: a `pin.reset` naming the
 * custodian, whose projection deletes the row. Returns the count before; 0 changes nothing.
 * Local to the cabinet like the PINs themselves, so allowed on a centrally managed one.
 */
export function resetWrongPins(scope: ChangeScope, credentialId: number): number {
  return change(
    scope,
    () => {
      const before = wrongPins(scope, credentialId);
      if (before === 0) return { result: 0 };
      const { holderId } = scope.db
        .prepare('SELECT holder_id AS holderId FROM credentials WHERE id = ?')
        .get(credentialId) as { holderId: number };
      return {
        result: before,
        events: [
          {
            type: 'pin.reset',
            data: { credentialId, holderId, wrongPins: before, actor: scope.actor },
          },
        ],
      };
    },
    { centralData: false },
  );
}
