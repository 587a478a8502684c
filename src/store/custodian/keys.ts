import type { NewEvent } from '../../domain/events.js';
import { KeywardenError } from '../../errors.js';
import { change, notFound, policyChanged, stamp, updated, type ChangeScope } from './scope.js';
import { lastKnownSlots } from '../last-known-slots.js';
import type { KeyState, KeyTier, ReturnPolicy } from '../../domain/values/key-kinds.js';
import { formatMinute } from '../../domain/values/week-clock.js';

/** The policy of a key that `key add` and `key set` may give. */
export interface KeyPolicy {
  tier: KeyTier | null;
  maxLoanMinutes: number | null;
  /** Local minutes after midnight by which the key is due back. */
  curfewMinute: number | null;
  returnPolicy: ReturnPolicy;
}

export interface KeyFields extends KeyPolicy {
  label: string;
  tag: string | null;
  homeSlot: number | null;
  state: KeyState;
}

export interface KeyRow extends KeyFields {
  id: number;
  /** The holder it is out with, if out. */
  outWith: number | null;
}

const FIELDS_SQL = `label, tag, home_slot AS homeSlot, state, tier, max_loan_minutes AS maxLoanMinutes,
  curfew_minute AS curfewMinute, return_policy AS returnPolicy`;

export function keyFields(scope: Pick<ChangeScope, 'db'>, id: number): KeyFields {
  const row = scope.db.prepare(`SELECT ${FIELDS_SQL} FROM keys WHERE id = ?`).get(id) as
    KeyFields | undefined;
  if (!row) throw notFound('key', id);
  return row;
}

/** For events: the curfew as HH:MM, as the custodian wrote it. */
function auditView(fields: KeyFields): Record<string, unknown> {
  const { curfewMinute, ...rest } = fields;
  return { ...rest, curfew: curfewMinute === null ? null : formatMinute(curfewMinute) };
}

/** Adds a key with a tag and label already checked (src/app). */
export function addKey(
  scope: ChangeScope,
  cleanTag: string,
  homeSlot: number,
  cleanLabel: string,
  policy: Partial<KeyPolicy> = {},
): number {
  const full: KeyPolicy = {
    tier: null,
    maxLoanMinutes: null,
    curfewMinute: null,
    returnPolicy: 'home',
    ...policy,
  };
  return change(scope, () => {
    const bySlot = scope.db.prepare('SELECT label FROM keys WHERE home_slot = ?').get(homeSlot) as
      { label: string } | undefined;
    if (bySlot)
      throw new KeywardenError(
        'CONFLICT',
        `slot ${homeSlot} is already the home of key "${bySlot.label}"`,
      );
    if (scope.db.prepare('SELECT 1 FROM keys WHERE tag = ?').get(cleanTag)) {
      throw new KeywardenError('CONFLICT', `tag ${cleanTag} is already registered`);
    }
    const id = Number(
      scope.db
        .prepare(
          `INSERT INTO keys (tag, label, home_slot, tier, max_loan_minutes, curfew_minute,
                             return_policy, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          cleanTag,
          cleanLabel,
          homeSlot,
          full.tier,
          full.maxLoanMinutes,
          full.curfewMinute,
          full.returnPolicy,
          stamp(scope),
        ).lastInsertRowid,
    );
    const detailed = Object.values(policy).some((v) => v !== undefined && v !== null);
    return {
      result: id,
      events: [
        {
          type: 'key.added',
          data: { actor: scope.actor, keyId: id, label: cleanLabel, tag: cleanTag, homeSlot },
        },
        ...(detailed
          ? [policyChanged(scope, 'key', id, null, auditView(keyFields(scope, id)))]
          : []),
      ],
    };
  });
}

/**
 * Changes a key's state or policy. A lost, stolen or retired key can no longer be released
 * (src/domain); marking it so is an event like any other change. A retired key keeps its tag
 * and slot here: the central server's sync is what vacates them.
 */
export function updateKey(
  scope: ChangeScope,
  id: number,
  patch: Partial<Pick<KeyFields, 'label' | 'state'> & KeyPolicy>,
): boolean {
  return change(scope, () => {
    const before = keyFields(scope, id);
    const after = { ...before, ...patch };
    const events = updated(scope, 'key', id, auditView(before), auditView(after));
    if (events.length === 0) return { result: false };
    scope.db
      .prepare(
        `UPDATE keys SET label = ?, state = ?, tier = ?, max_loan_minutes = ?, curfew_minute = ?,
                return_policy = ? WHERE id = ?`,
      )
      .run(
        after.label,
        after.state,
        after.tier,
        after.maxLoanMinutes,
        after.curfewMinute,
        after.returnPolicy,
        id,
      );
    return { result: true, events };
  });
}

export function listKeys(scope: Pick<ChangeScope, 'db'>): KeyRow[] {
  return scope.db
    .prepare(
      `SELECT id, ${FIELDS_SQL},
              (SELECT holder_id FROM loans l WHERE l.key_id = keys.id AND l.returned_at IS NULL) AS outWith
         FROM keys ORDER BY id`,
    )
    .all() as KeyRow[];
}

export function slotExists(scope: Pick<ChangeScope, 'db'>, slot: number): boolean {
  return scope.db.prepare('SELECT 1 FROM slots WHERE number = ?').get(slot) !== undefined;
}

export interface SlotRow {
  slot: number;
  enabled: boolean;
  keyId: number | null;
  keyLabel: string | null;
  keyState: string | null;
  /** in: the key is home (as the records say); out: on loan; empty: no key lives here. */
  status: 'in' | 'out' | 'empty';
  outWith: number | null;
  outSince: string | null;
  /**
   * What is physically in the slot as last seen (src/store/last-known-slots.ts): a key's label,
   * `fob <tag>` for a fob no key has, null when empty. A misplaced key shows where it really is.
   */
  inSlot: string | null;
}

/**
 * Each slot with its key as the records know it, and what was last seen in it (the live view is
 * `keywarden sim`/inventory).
 */
export function listSlots(scope: Pick<ChangeScope, 'db'>): SlotRow[] {
  const rows = scope.db
    .prepare(
      `SELECT s.number AS slot, s.enabled, k.id AS keyId, k.label AS keyLabel, k.state AS keyState,
              l.holder_id AS outWith, l.out_at AS outSince
         FROM slots s
         LEFT JOIN keys k ON k.home_slot = s.number
         LEFT JOIN loans l ON l.key_id = k.id AND l.returned_at IS NULL
        ORDER BY s.number`,
    )
    .all() as Array<Omit<SlotRow, 'enabled' | 'status' | 'inSlot'> & { enabled: number }>;
  const seen = lastKnownSlots(scope.db);
  const labels = new Map(
    (
      scope.db.prepare('SELECT id, label FROM keys').all() as Array<{ id: number; label: string }>
    ).map((k) => [k.id, k.label]),
  );
  const inSlotOf = (slot: number): string | null => {
    const s = seen.get(slot);
    if (!s?.occupied) return null;
    if (s.keyId !== null) return labels.get(s.keyId) ?? `key ${s.keyId}`;
    return s.tag === null ? null : `fob ${s.tag}`;
  };
  return rows.map((r) => ({
    ...r,
    enabled: r.enabled === 1,
    status: r.keyId === null ? 'empty' : r.outWith !== null ? 'out' : 'in',
    inSlot: inSlotOf(r.slot),
  }));
}

export interface KeyOutRow {
  keyId: number;
  label: string;
  slot: number;
  holderId: number;
  holderName: string;
  outAt: string;
}

/** The keys on loan now, longest out first. */
export function keysOut(scope: Pick<ChangeScope, 'db'>): KeyOutRow[] {
  return scope.db
    .prepare(
      `SELECT k.id AS keyId, k.label, l.slot, l.holder_id AS holderId, h.name AS holderName, l.out_at AS outAt
         FROM loans l JOIN keys k ON k.id = l.key_id JOIN holders h ON h.id = l.holder_id
        WHERE l.returned_at IS NULL ORDER BY l.out_at`,
    )
    .all() as KeyOutRow[];
}

/**
 * Marks a key lost, stolen, retired or active again, with the custodian's reason in the audit
 * event: the record a later audit asks for ("who said K-03 was stolen, and why").
 */
export function setKeyState(
  scope: ChangeScope,
  id: number,
  state: KeyState,
  reason: string,
): boolean {
  return change(scope, () => {
    const before = keyFields(scope, id);
    if (before.state === state) return { result: false };
    scope.db.prepare('UPDATE keys SET state = ? WHERE id = ?').run(state, id);
    const event = policyChanged(scope, 'key', id, { state: before.state }, { state });
    return { result: true, events: [{ ...event, data: { ...event.data, reason } } as NewEvent] };
  });
}
