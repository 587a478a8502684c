import { holderFields } from './holders.js';
import { change, stamp, type ChangeScope } from './scope.js';

/**
 * A holder's direct permission on one slot (one the app has checked exists), without bounds:
 * the demo seed, `permission grant` with a slot only; bounded permissions and groups are
 * grants.ts. True when it changed.
 */
export function grantSlot(scope: ChangeScope, holderId: number, slot: number): boolean {
  const { db, actor } = scope;
  return change(scope, () => {
    holderFields(scope, holderId);
    const inserted = db
      .prepare('INSERT OR IGNORE INTO permissions (holder_id, slot, created_at) VALUES (?, ?, ?)')
      .run(holderId, slot, stamp(scope)).changes;
    if (inserted === 0) return { result: false };
    return {
      result: true,
      events: [{ type: 'permission.granted', data: { actor, holderId, slot } }],
    };
  });
}

export function revokeSlot(scope: ChangeScope, holderId: number, slot: number): boolean {
  const { db, actor } = scope;
  return change(scope, () => {
    holderFields(scope, holderId);
    const removed = db
      .prepare('DELETE FROM permissions WHERE holder_id = ? AND slot = ?')
      .run(holderId, slot).changes;
    if (removed === 0) return { result: false };
    return {
      result: true,
      events: [{ type: 'permission.revoked', data: { actor, holderId, slot } }],
    };
  });
}
