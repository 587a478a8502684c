import { KeywardenError } from '../../errors.js';
import { holderFields } from './holders.js';
import { change, notFound, policyChanged, stamp, updated, type ChangeScope } from './scope.js';
import { refuseTakenName } from './unique-name.js';

export interface GroupRow {
  id: number;
  name: string;
  maxLoanMinutes: number | null;
  members: number[];
}

function groupFields(
  scope: Pick<ChangeScope, 'db'>,
  id: number,
): { name: string; maxLoanMinutes: number | null } {
  const row = scope.db
    .prepare('SELECT name, max_loan_minutes AS maxLoanMinutes FROM access_groups WHERE id = ?')
    .get(id) as { name: string; maxLoanMinutes: number | null } | undefined;
  if (!row) throw notFound('group', id);
  return row;
}

/** Adds a group under a name already checked (src/app). */
export function addGroup(
  scope: ChangeScope,
  clean: string,
  maxLoanMinutes: number | null = null,
): number {
  return change(scope, () => {
    refuseTakenName(scope.db, 'access_groups', 'group', clean);
    const id = Number(
      scope.db
        .prepare('INSERT INTO access_groups (name, max_loan_minutes, created_at) VALUES (?, ?, ?)')
        .run(clean, maxLoanMinutes, stamp(scope)).lastInsertRowid,
    );
    return {
      result: id,
      events: [policyChanged(scope, 'group', id, null, { name: clean, maxLoanMinutes })],
    };
  });
}

export function updateGroup(
  scope: ChangeScope,
  id: number,
  patch: { name?: string; maxLoanMinutes?: number | null },
): boolean {
  return change(scope, () => {
    const before = groupFields(scope, id);
    if (patch.name !== undefined)
      refuseTakenName(scope.db, 'access_groups', 'group', patch.name, id);
    const after = { ...before, ...patch };
    const events = updated(scope, 'group', id, before, after);
    if (events.length === 0) return { result: false };
    scope.db
      .prepare('UPDATE access_groups SET name = ?, max_loan_minutes = ? WHERE id = ?')
      .run(after.name, after.maxLoanMinutes, id);
    return { result: true, events };
  });
}

/** Refused while a grant or a tier rule names the group: remove or change those first. */
export function removeGroup(scope: ChangeScope, id: number): void {
  change(scope, () => {
    const before = groupFields(scope, id);
    const grants = scope.db
      .prepare('SELECT count(*) AS n FROM policy_grants WHERE group_id = ?')
      .get(id) as { n: number };
    if (grants.n > 0)
      throw new KeywardenError(
        'CONFLICT',
        `group ${id} is named by ${grants.n} grant(s); revoke them first`,
      );
    const tiers = scope.db
      .prepare('SELECT group_concat(tier) AS t FROM tier_rules WHERE authoriser_group_id = ?')
      .get(id) as { t: string | null };
    if (tiers.t)
      throw new KeywardenError(
        'CONFLICT',
        `group ${id} authorises tier(s) ${tiers.t}; change those first`,
      );
    const members = memberIds(scope, id);
    scope.db.prepare('DELETE FROM group_members WHERE group_id = ?').run(id);
    scope.db.prepare('DELETE FROM access_groups WHERE id = ?').run(id);
    return {
      result: undefined,
      events: [policyChanged(scope, 'group', id, { ...before, members }, null)],
    };
  });
}

export function addMember(scope: ChangeScope, groupId: number, holderId: number): boolean {
  return change(scope, () => {
    groupFields(scope, groupId);
    holderFields(scope, holderId);
    const added = scope.db
      .prepare('INSERT OR IGNORE INTO group_members (holder_id, group_id) VALUES (?, ?)')
      .run(holderId, groupId).changes;
    if (added === 0) return { result: false };
    return {
      result: true,
      events: [
        policyChanged(scope, 'group_member', `${groupId}:${holderId}`, null, { groupId, holderId }),
      ],
    };
  });
}

export function removeMember(scope: ChangeScope, groupId: number, holderId: number): boolean {
  return change(scope, () => {
    groupFields(scope, groupId);
    // "was not a member" would hide a mistyped holder id.
    if (!scope.db.prepare('SELECT 1 FROM holders WHERE id = ?').get(holderId)) {
      throw notFound('holder', holderId);
    }
    const removed = scope.db
      .prepare('DELETE FROM group_members WHERE holder_id = ? AND group_id = ?')
      .run(holderId, groupId).changes;
    if (removed === 0) return { result: false };
    return {
      result: true,
      events: [
        policyChanged(scope, 'group_member', `${groupId}:${holderId}`, { groupId, holderId }, null),
      ],
    };
  });
}

function memberIds(scope: Pick<ChangeScope, 'db'>, groupId: number): number[] {
  return (
    scope.db
      .prepare('SELECT holder_id AS id FROM group_members WHERE group_id = ? ORDER BY holder_id')
      .all(groupId) as Array<{ id: number }>
  ).map((r) => r.id);
}

export function listGroups(scope: Pick<ChangeScope, 'db'>): GroupRow[] {
  const groups = scope.db
    .prepare('SELECT id, name, max_loan_minutes AS maxLoanMinutes FROM access_groups ORDER BY id')
    .all() as Array<Omit<GroupRow, 'members'>>;
  return groups.map((g) => ({ ...g, members: memberIds(scope, g.id) }));
}
