import { holderFields } from './holders.js';
import { requireSchedule } from './schedules.js';
import { change, notFound, policyChanged, stamp, updated, type ChangeScope } from './scope.js';

/**
 * Who may take what: a holder or a group, on a slot or a key set, optionally with a schedule,
 * a validity window and a loan limit. The plain holder–slot form (with validity and a loan
 * limit) is a direct permission (table permissions, events permission.granted/revoked, kept
 * for the integrations that know them); every other form is a policy grant (policy_grants).
 */
export interface GrantSpec {
  holderId?: number;
  groupId?: number;
  slot?: number;
  keySetId?: number;
  scheduleId?: number;
  validFrom?: string | null;
  validUntil?: string | null;
  maxLoanMinutes?: number | null;
}

export interface GrantRow {
  /** `permission` (direct holder–slot) or `grant` (policy grant); ids are per kind. */
  kind: 'permission' | 'grant';
  id: number;
  holderId: number | null;
  groupId: number | null;
  slot: number | null;
  keySetId: number | null;
  scheduleId: number | null;
  validFrom: string | null;
  validUntil: string | null;
  maxLoanMinutes: number | null;
}

export interface GrantOutcome {
  kind: 'permission' | 'grant';
  id: number;
  /** added, updated (an existing direct permission got new bounds), or unchanged. */
  outcome: 'added' | 'updated' | 'unchanged';
}

const PERMISSION_FIELDS = `id, holder_id AS holderId, slot, valid_from AS validFrom,
  valid_until AS validUntil, max_loan_minutes AS maxLoanMinutes`;

/** Grants by a spec already checked (src/app: one subject, one target, bounds in order). */
export function grant(scope: ChangeScope, spec: GrantSpec): GrantOutcome {
  return change(scope, () => {
    if (spec.holderId !== undefined) holderFields(scope, spec.holderId);
    if (
      spec.groupId !== undefined &&
      !scope.db.prepare('SELECT 1 FROM access_groups WHERE id = ?').get(spec.groupId)
    )
      throw notFound('group', spec.groupId);
    if (
      spec.keySetId !== undefined &&
      !scope.db.prepare('SELECT 1 FROM key_sets WHERE id = ?').get(spec.keySetId)
    )
      throw notFound('key set', spec.keySetId);
    if (spec.scheduleId !== undefined) requireSchedule(scope, spec.scheduleId);
    const bounds = {
      validFrom: spec.validFrom ?? null,
      validUntil: spec.validUntil ?? null,
      maxLoanMinutes: spec.maxLoanMinutes ?? null,
    };
    if (spec.holderId !== undefined && spec.slot !== undefined && spec.scheduleId === undefined) {
      return directPermission(scope, spec.holderId, spec.slot, bounds);
    }
    const id = Number(
      scope.db
        .prepare(
          `INSERT INTO policy_grants (holder_id, group_id, slot, key_set_id, schedule_id,
             valid_from, valid_until, max_loan_minutes, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          spec.holderId ?? null,
          spec.groupId ?? null,
          spec.slot ?? null,
          spec.keySetId ?? null,
          spec.scheduleId ?? null,
          bounds.validFrom,
          bounds.validUntil,
          bounds.maxLoanMinutes,
          stamp(scope),
        ).lastInsertRowid,
    );
    const { kind: _k, id: _i, ...after } = grantRow(scope, id);
    return {
      result: { kind: 'grant' as const, id, outcome: 'added' as const },
      events: [policyChanged(scope, 'grant', id, null, after)],
    };
  });
}

function directPermission(
  scope: ChangeScope,
  holderId: number,
  slot: number,
  bounds: { validFrom: string | null; validUntil: string | null; maxLoanMinutes: number | null },
): { result: GrantOutcome; events?: ReturnType<typeof updated> } {
  const { db, actor } = scope;
  const existing = db
    .prepare(`SELECT ${PERMISSION_FIELDS} FROM permissions WHERE holder_id = ? AND slot = ?`)
    .get(holderId, slot) as (Omit<GrantRow, 'kind'> & { id: number }) | undefined;
  if (existing) {
    const { id, ...before } = existing;
    const events = updated(scope, 'permission', id, before, { ...before, ...bounds });
    if (events.length === 0) return { result: { kind: 'permission', id, outcome: 'unchanged' } };
    db.prepare(
      'UPDATE permissions SET valid_from = ?, valid_until = ?, max_loan_minutes = ? WHERE id = ?',
    ).run(bounds.validFrom, bounds.validUntil, bounds.maxLoanMinutes, id);
    return { result: { kind: 'permission', id, outcome: 'updated' }, events };
  }
  const id = Number(
    db
      .prepare(
        `INSERT INTO permissions (holder_id, slot, valid_from, valid_until, max_loan_minutes, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(holderId, slot, bounds.validFrom, bounds.validUntil, bounds.maxLoanMinutes, stamp(scope))
      .lastInsertRowid,
  );
  const detailed = Object.values(bounds).some((v) => v !== null);
  return {
    result: { kind: 'permission', id, outcome: 'added' },
    events: [
      { type: 'permission.granted', data: { actor, holderId, slot } },
      ...(detailed
        ? [policyChanged(scope, 'permission', id, null, { holderId, slot, ...bounds })]
        : []),
    ],
  };
}

/** Withdraws a policy grant by its id (`permission list` shows them). */
export function revokeGrant(scope: ChangeScope, id: number): void {
  change(scope, () => {
    const { kind: _k, id: _i, ...before } = grantRow(scope, id);
    scope.db.prepare('DELETE FROM policy_grants WHERE id = ?').run(id);
    return { result: undefined, events: [policyChanged(scope, 'grant', id, before, null)] };
  });
}

function grantRow(scope: Pick<ChangeScope, 'db'>, id: number): GrantRow {
  const row = scope.db.prepare(`${GRANT_SELECT} WHERE id = ?`).get(id) as GrantRow | undefined;
  if (!row) throw notFound('grant', id);
  return row;
}

const GRANT_SELECT = `SELECT 'grant' AS kind, id, holder_id AS holderId, group_id AS groupId, slot,
  key_set_id AS keySetId, schedule_id AS scheduleId, valid_from AS validFrom,
  valid_until AS validUntil, max_loan_minutes AS maxLoanMinutes FROM policy_grants`;

export function listGrants(scope: Pick<ChangeScope, 'db'>): GrantRow[] {
  const direct = scope.db
    .prepare(
      `SELECT 'permission' AS kind, ${PERMISSION_FIELDS}, NULL AS groupId, NULL AS keySetId,
              NULL AS scheduleId FROM permissions ORDER BY id`,
    )
    .all() as GrantRow[];
  const grants = scope.db.prepare(`${GRANT_SELECT} ORDER BY id`).all() as GrantRow[];
  return [...direct, ...grants];
}

/**
 * The permissions and grants not ended at `now` (canonical UTC text, as the validities are
 * stored), a page at a time in listGrants' order, and how many there are: what the console
 * lists, without reading every permission of 100,000 holders for one page.
 */
export function listGrantsInForce(
  scope: Pick<ChangeScope, 'db'>,
  query: { now: string; offset: number; limit: number },
): { rows: GrantRow[]; total: number } {
  const live = `SELECT 'permission' AS kind, 0 AS rank, ${PERMISSION_FIELDS}, NULL AS groupId,
         NULL AS keySetId, NULL AS scheduleId FROM permissions
       WHERE valid_until IS NULL OR valid_until > @now
     UNION ALL
     SELECT 'grant', 1, id, holder_id, slot, valid_from, valid_until, max_loan_minutes, group_id,
         key_set_id, schedule_id FROM policy_grants
       WHERE valid_until IS NULL OR valid_until > @now`;
  const rows = scope.db
    .prepare(
      `SELECT kind, id, holderId, groupId, slot, keySetId, scheduleId, validFrom, validUntil,
              maxLoanMinutes FROM (${live}) ORDER BY rank, id LIMIT @limit OFFSET @offset`,
    )
    .all(query) as GrantRow[];
  const { n } = scope.db.prepare(`SELECT count(*) AS n FROM (${live})`).get({ now: query.now }) as {
    n: number;
  };
  return { rows, total: n };
}

/** How many policy grants use each schedule (ended ones too: they still hold it). */
export function scheduleUse(
  scope: Pick<ChangeScope, 'db'>,
): Array<{ scheduleId: number; grants: number }> {
  return scope.db
    .prepare(
      `SELECT schedule_id AS scheduleId, count(*) AS grants FROM policy_grants
        WHERE schedule_id IS NOT NULL GROUP BY schedule_id ORDER BY schedule_id`,
    )
    .all() as Array<{ scheduleId: number; grants: number }>;
}
