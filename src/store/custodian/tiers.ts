import { KeywardenError } from '../../errors.js';
import type { KeyTier } from '../../domain/values/key-kinds.js';
import { change, notFound, policyChanged, updated, type ChangeScope } from './scope.js';

/**
 * Tier rules and reason codes: what releasing a key of each tier asks for. Neither is
 * part of the central server's set, so they stay editable on a synced cabinet.
 */
export interface TierRule {
  tier: KeyTier;
  /** Further holders who must badge (0, 1 or 2: the two- and three-person rule). */
  authorisers: number;
  /** The group authorisers must come from; null: any holder permitted the key. */
  authoriserGroupId: number | null;
  pin: boolean;
  maxLoanMinutes: number | null;
  reasonCode: boolean;
}

export type TierPatch = Partial<Omit<TierRule, 'tier'>>;

const RULE_SQL = `SELECT tier, authorisers, authoriser_group_id AS authoriserGroupId, pin,
  max_loan_minutes AS maxLoanMinutes, reason_code AS reasonCode FROM tier_rules`;

type RuleRow = Omit<TierRule, 'pin' | 'reasonCode'> & { pin: number; reasonCode: number };
const ruleOf = (r: RuleRow): TierRule => ({
  ...r,
  pin: r.pin === 1,
  reasonCode: r.reasonCode === 1,
});

export function listTierRules(scope: Pick<ChangeScope, 'db'>): TierRule[] {
  return (scope.db.prepare(`${RULE_SQL} ORDER BY rowid`).all() as RuleRow[]).map(ruleOf);
}

const DEFAULT_RULE: Omit<TierRule, 'tier'> = {
  authorisers: 0,
  authoriserGroupId: null,
  pin: false,
  maxLoanMinutes: null,
  reasonCode: false,
};

/**
 * Changes a tier's rule (creating it when the tier has none); false when already so. `check`
 * is the caller's rule for the rule as it would become (src/app), run inside the transaction.
 */
export function setTierRule(
  scope: ChangeScope,
  tier: KeyTier,
  patch: TierPatch,
  check: (after: Omit<TierRule, 'tier'>) => void = () => {},
): boolean {
  return change(
    scope,
    () => {
      const row = scope.db.prepare(`${RULE_SQL} WHERE tier = ?`).get(tier) as RuleRow | undefined;
      const { tier: _t, ...before } = row ? ruleOf(row) : { tier, ...DEFAULT_RULE };
      const after = { ...before, ...patch };
      if (
        after.authoriserGroupId !== null &&
        !scope.db.prepare('SELECT 1 FROM access_groups WHERE id = ?').get(after.authoriserGroupId)
      ) {
        throw notFound('group', after.authoriserGroupId);
      }
      check(after);
      const events = row
        ? updated(scope, 'tier_rule', tier, before, after)
        : [policyChanged(scope, 'tier_rule', tier, null, after)];
      if (events.length === 0) return { result: false };
      scope.db
        .prepare(
          `INSERT INTO tier_rules (tier, authorisers, authoriser_group_id, pin, max_loan_minutes, reason_code)
           VALUES (@tier, @authorisers, @group, @pin, @max, @reason)
           ON CONFLICT (tier) DO UPDATE SET authorisers = excluded.authorisers,
             authoriser_group_id = excluded.authoriser_group_id, pin = excluded.pin,
             max_loan_minutes = excluded.max_loan_minutes, reason_code = excluded.reason_code`,
        )
        .run({
          tier,
          authorisers: after.authorisers,
          group: after.authoriserGroupId,
          pin: after.pin ? 1 : 0,
          max: after.maxLoanMinutes,
          reason: after.reasonCode ? 1 : 0,
        });
      return { result: true, events };
    },
    { centralData: false },
  );
}

export interface ReasonCode {
  code: string;
  description: string;
}

/** Adds a reason code and description already checked (src/app). */
export function addReasonCode(scope: ChangeScope, clean: string, text: string): void {
  change(
    scope,
    () => {
      if (scope.db.prepare('SELECT 1 FROM reason_codes WHERE code = ?').get(clean)) {
        throw new KeywardenError('CONFLICT', `reason code ${clean} already exists`);
      }
      scope.db
        .prepare('INSERT INTO reason_codes (code, description) VALUES (?, ?)')
        .run(clean, text);
      return {
        result: undefined,
        events: [policyChanged(scope, 'reason_code', clean, null, { description: text })],
      };
    },
    { centralData: false },
  );
}

export function removeReasonCode(scope: ChangeScope, clean: string): void {
  change(
    scope,
    () => {
      const row = scope.db
        .prepare('SELECT description FROM reason_codes WHERE code = ?')
        .get(clean) as { description: string } | undefined;
      if (!row) throw notFound('reason code', clean);
      scope.db.prepare('DELETE FROM reason_codes WHERE code = ?').run(clean);
      return {
        result: undefined,
        events: [policyChanged(scope, 'reason_code', clean, { ...row }, null)],
      };
    },
    { centralData: false },
  );
}

export function listReasonCodes(scope: Pick<ChangeScope, 'db'>): ReasonCode[] {
  return scope.db
    .prepare('SELECT code, description FROM reason_codes ORDER BY length(code), code')
    .all() as ReasonCode[];
}
