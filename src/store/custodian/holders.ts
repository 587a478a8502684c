import type { OutstandingKey } from '../../domain/events.js';
import { KeywardenError } from '../../errors.js';
import { maskCard } from '../../domain/mask-card.js';
import { change, notFound, policyChanged, stamp, updated, type ChangeScope } from './scope.js';

export interface HolderFields {
  name: string;
  enabled: boolean;
  validFrom: string | null;
  validUntil: string | null;
  /** Keys out at once; null: the configured default. */
  maxKeysOut: number | null;
  /** A contractor's company (what the console searches by); null for staff. */
  company: string | null;
}

export type HolderOptions = Partial<
  Pick<HolderFields, 'validFrom' | 'validUntil' | 'maxKeysOut' | 'company'>
>;

export function holderFields(scope: Pick<ChangeScope, 'db'>, id: number): HolderFields {
  const row = scope.db
    .prepare(
      `SELECT name, enabled, valid_from AS validFrom, valid_until AS validUntil,
              max_keys_out AS maxKeysOut, company FROM holders WHERE id = ? AND retired = 0`,
    )
    .get(id) as (Omit<HolderFields, 'enabled'> & { enabled: number }) | undefined;
  if (!row) throw notFound('holder', id);
  return { ...row, enabled: row.enabled === 1 };
}

/** Adds a holder under a name and bounds already checked (src/app). */
export function addHolder(scope: ChangeScope, clean: string, options: HolderOptions = {}): number {
  const fields = { validFrom: null, validUntil: null, maxKeysOut: null, company: null, ...options };
  return change(scope, () => {
    const id = Number(
      scope.db
        .prepare(
          `INSERT INTO holders (name, valid_from, valid_until, max_keys_out, company, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          clean,
          fields.validFrom,
          fields.validUntil,
          fields.maxKeysOut,
          fields.company,
          stamp(scope),
        ).lastInsertRowid,
    );
    const detailed = Object.values(options).some((v) => v !== undefined && v !== null);
    return {
      result: id,
      events: [
        { type: 'holder.added', data: { actor: scope.actor, holderId: id, name: clean } },
        ...(detailed
          ? [policyChanged(scope, 'holder', id, null, { ...holderFields(scope, id) })]
          : []),
      ],
    };
  });
}

/** Keys the holder has out now: after a departure, these are to be recovered. */
export function keysOutWith(scope: Pick<ChangeScope, 'db'>, holderId: number): OutstandingKey[] {
  return scope.db
    .prepare(
      `SELECT l.key_id AS keyId, k.label AS keyLabel, l.slot, l.out_at AS outAt
         FROM loans l JOIN keys k ON k.id = l.key_id
        WHERE l.holder_id = ? AND l.returned_at IS NULL ORDER BY l.out_at`,
    )
    .all(holderId) as OutstandingKey[];
}

/**
 * Departure: refused at the next badge. Keys still out are listed in the result and in the
 * event, so the central server and the custodian know what to recover.
 */
export function disableHolder(
  scope: ChangeScope,
  holderId: number,
): { changed: boolean; outstanding: OutstandingKey[] } {
  return change<{ changed: boolean; outstanding: OutstandingKey[] }>(scope, () => {
    const holder = holderFields(scope, holderId);
    const outstanding = keysOutWith(scope, holderId);
    if (!holder.enabled) return { result: { changed: false, outstanding } };
    scope.db.prepare('UPDATE holders SET enabled = 0 WHERE id = ?').run(holderId);
    return {
      result: { changed: true, outstanding },
      events: [
        {
          type: 'holder.disabled',
          data: {
            actor: scope.actor,
            holderId,
            name: holder.name,
            ...(outstanding.length > 0 ? { outstanding } : {}),
          },
        },
      ],
    };
  });
}

export function enableHolder(scope: ChangeScope, holderId: number): boolean {
  return updateHolder(scope, holderId, { enabled: true });
}

/**
 * Changes the given fields; false (and no event) when they already had those values. `check`
 * is the caller's rule for the record as it would become (src/app), run inside the transaction
 * on the row as it is now: throwing from it changes nothing.
 */
export function updateHolder(
  scope: ChangeScope,
  holderId: number,
  patch: Partial<HolderFields>,
  check: (after: HolderFields) => void = () => {},
): boolean {
  return change(scope, () => {
    const before = holderFields(scope, holderId);
    const after = { ...before, ...patch };
    check(after);
    const events = updated(scope, 'holder', holderId, { ...before }, { ...after });
    if (events.length === 0) return { result: false };
    scope.db
      .prepare(
        `UPDATE holders SET name = ?, enabled = ?, valid_from = ?, valid_until = ?,
                max_keys_out = ?, company = ? WHERE id = ?`,
      )
      .run(
        after.name,
        after.enabled ? 1 : 0,
        after.validFrom,
        after.validUntil,
        after.maxKeysOut,
        after.company,
        holderId,
      );
    return { result: true, events };
  });
}

export interface HolderDetails extends HolderFields {
  id: number;
  credentials: Array<{
    id: number;
    card: string;
    enabled: boolean;
    validFrom: string | null;
    validUntil: string | null;
    pin: boolean;
  }>;
  groups: Array<{ id: number; name: string }>;
  permissions: Array<{ slot: number; validFrom: string | null; validUntil: string | null }>;
  grants: number[];
  keysOut: OutstandingKey[];
}

export function showHolder(scope: Pick<ChangeScope, 'db'>, id: number): HolderDetails {
  const { db } = scope;
  const fields = holderFields(scope, id);
  const credentials = (
    db
      .prepare(
        `SELECT id, card, enabled, valid_from AS validFrom, valid_until AS validUntil,
                pin_hash IS NOT NULL AS pin FROM credentials WHERE holder_id = ? ORDER BY id`,
      )
      .all(id) as Array<{
      id: number;
      card: string;
      enabled: number;
      validFrom: string | null;
      validUntil: string | null;
      pin: number;
    }>
  ).map((c) => ({ ...c, card: maskCard(c.card), enabled: c.enabled === 1, pin: c.pin === 1 }));
  const groups = db
    .prepare(
      `SELECT g.id, g.name FROM group_members m JOIN access_groups g ON g.id = m.group_id
        WHERE m.holder_id = ? ORDER BY g.id`,
    )
    .all(id) as Array<{ id: number; name: string }>;
  const permissions = db
    .prepare(
      `SELECT slot, valid_from AS validFrom, valid_until AS validUntil FROM permissions
        WHERE holder_id = ? ORDER BY slot`,
    )
    .all(id) as HolderDetails['permissions'];
  const grants = (
    db.prepare('SELECT id FROM policy_grants WHERE holder_id = ? ORDER BY id').all(id) as Array<{
      id: number;
    }>
  ).map((g) => g.id);
  return {
    id,
    ...fields,
    credentials,
    groups,
    permissions,
    grants,
    keysOut: keysOutWith(scope, id),
  };
}

export function requireEnabledHolder(scope: Pick<ChangeScope, 'db'>, id: number): HolderFields {
  const holder = holderFields(scope, id);
  if (!holder.enabled) throw new KeywardenError('CONFLICT', `holder ${id} is disabled`);
  return holder;
}

export interface HolderRow {
  id: number;
  name: string;
  enabled: boolean;
  cards: number;
  slots: string;
}

/** The holders with their number of cards and their direct slots ("1,2,5"). */
export function listHolders(scope: Pick<ChangeScope, 'db'>): HolderRow[] {
  const rows = scope.db
    .prepare(
      `SELECT h.id, h.name, h.enabled,
              (SELECT count(*) FROM credentials c WHERE c.holder_id = h.id) AS cards,
              coalesce((SELECT group_concat(slot, ',') FROM (SELECT slot FROM permissions p
                        WHERE p.holder_id = h.id ORDER BY slot)), '') AS slots
         FROM holders h WHERE h.retired = 0 ORDER BY h.id`,
    )
    .all() as Array<Omit<HolderRow, 'enabled'> & { enabled: number }>;
  return rows.map((r) => ({ ...r, enabled: r.enabled === 1 }));
}
