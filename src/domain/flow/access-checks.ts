import {
  type AccessDecision,
  type AccessRequest,
  decideAccess,
  decideRemoteRelease,
  type RemoteReleaseDecision,
} from '../access-decision.js';
import { lockoutSettings, type PendingBadge, policySettings } from '../cabinet-state.js';
import { openLoan, takeRefusal } from '../loans.js';
import { type Requirements, requirementsFor } from '../key-tiers.js';
import { isLocked } from '../lockout.js';
import type { Credential, Holder, Loan } from '../model.js';
import { policyInputsOf } from '../policy/policy-inputs.js';
import type { StepDraft } from './step-draft.js';

// The glue between a step and the policy (src/domain/access-decision.ts, key-tiers.ts): what
// the directory and the clock say, put in the form the decisions take. The rules themselves
// live there; the flow's modules only ask.

/** The policy's decision on a badge: who it is, what they may take now, or why not. */
export function decideBadge(
  draft: StepDraft,
  credential: Credential | undefined,
  holder: Holder | undefined,
  keysOut: number,
): AccessDecision {
  return decideAccess({ credential, holder, keysOut, ...holderRules(draft, holder) });
}

/** The policy's decision on the central server's `release` of one slot for a holder. */
export function decideRemote(
  draft: StepDraft,
  holderId: number,
  holder: Holder | undefined,
  slot: number,
): RemoteReleaseDecision {
  if (!draft.validSlot(slot)) return { granted: false, reason: 'nothing_permitted', holderId };
  return decideRemoteRelease({ holder, slot, ...holderRules(draft, holder) });
}

/**
 * Who may be a second person: someone the policy admits now (valid, enabled, not locked out,
 * not refused for wrong PINs in a row)
 * who either belongs to the groups the tier names or, when it names none, may take these
 * keys themselves.
 */
export function admitsAuthoriser(
  draft: StepDraft,
  credential: Credential,
  holder: Holder,
  pending: PendingBadge,
): boolean {
  const subject = { kind: 'credential', credentialId: credential.id, holderId: holder.id } as const;
  if (isLocked(draft.lockouts, subject, draft.now)) return false;
  if ((credential.wrongPins ?? 0) >= lockoutSettings(draft.ctx.settings).maxWrongPins) return false;
  const decision = decideBadge(draft, credential, holder, 0);
  if (pending.requirements.authoriserGroupIds.length > 0) {
    return decision.granted || COVERAGE_ONLY.has(decision.reason);
  }
  return decision.granted && pending.gated.every((s) => decision.slots.includes(s));
}

/** Denials that say the holder may take nothing now, not that they are not who they claim. */
const COVERAGE_ONLY: ReadonlySet<string> = new Set([
  'nothing_permitted',
  'outside_schedule',
  'permission_expired',
  'permission_not_yet_valid',
  'key_unavailable',
]);

/** The loan rules for taking keys now: the holder's limit on keys out, and what refuses them. */
export interface TakeCheck {
  /** The holder's limit on keys out, as the session keeps it; empty for none. */
  limit: { maxKeysOut?: number };
  refusal: 'overdue_key' | 'loan_limit' | null;
}

/**
 * Whether the holder may take keys now under the loan rules (maximum keys out, an overdue key
 * blocking others), whoever asks: a badge at the cabinet or the central server's `release`.
 */
export function takeCheck(
  draft: StepDraft,
  holder: Holder,
  loans: readonly Loan[],
  slots: readonly number[],
): TakeCheck {
  const policy = policySettings(draft.ctx.settings);
  const maxKeysOut = holder.maxKeysOut ?? policy.maxKeysOut;
  const limit = maxKeysOut === undefined ? {} : { maxKeysOut };
  const refusal =
    slots.length === 0
      ? null
      : takeRefusal(loans.map(openLoan), draft.ctx.clock.wallMs(), {
          ...limit,
          overdueBlocksTaking: policy.overdueBlocksTaking,
        });
  return { limit, refusal };
}

/** What the keys in these slots ask beyond a badge, by their tiers (src/domain/key-tiers.ts). */
export interface TierDemands {
  /** The slots whose keys wait for authorisers too. */
  gated: number[];
  /** The strictest rule of all the keys. */
  all: Requirements;
  /** The strictest rule of the gated keys, which names their authorisers. */
  authorisers: Requirements;
}

export function tierDemands(draft: StepDraft, slots: readonly number[]): TierDemands {
  const rules = draft.ctx.directory.tierRules();
  // One directory read per released slot, not one per use below.
  const tiers = new Map(slots.map((s) => [s, draft.keyIn(s)?.tier ?? 'none'] as const));
  const tierOf = (slot: number) => tiers.get(slot) ?? 'none';
  const gated = slots.filter((s) => rules[tierOf(s)].authorisers > 0);
  return {
    gated,
    all: requirementsFor(slots.map(tierOf), rules),
    authorisers: requirementsFor(gated.map(tierOf), rules),
  };
}

/** What both decisions read about a holder: their permissions and policy, now, any lockdown. */
function holderRules(
  draft: StepDraft,
  holder: Holder | undefined,
): Pick<AccessRequest, 'permissions' | 'nowMs' | 'policy' | 'lockdown'> {
  const { directory, timeZone } = draft.ctx;
  return {
    permissions: holder ? directory.permissionsOf(holder.id) : [],
    nowMs: draft.ctx.clock.wallMs(),
    policy: holder ? policyInputsOf(directory, holder.id, timeZone ?? 'UTC') : undefined,
    lockdown: draft.lockdown,
  };
}
