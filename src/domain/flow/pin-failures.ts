import { lockoutSettings } from '../cabinet-state.js';
import type { Credential } from '../model.js';
import { countDenial } from './lockouts.js';
import type { StepDraft } from './step-draft.js';

// Wrong PINs in a row, counted across restarts (the store keeps the count: migration 010,
// projected from these events). The window's lockouts (lockouts.ts) slow a guesser down but
// forget; a guesser pacing the tries outside the window met no limit at all. This count has a
// hard cap after which only a custodian lets the credential in again.

/**
 * Whether the credential has had its allowance of wrong PINs: refused (`pin_locked`) whatever
 * the key, since whoever is trying its PIN may be holding a stolen card. The refusal counts
 * towards the window's lockout, so a stream of its frames is refused in counted lockouts, not
 * recorded one by one.
 */
export function refusedForWrongPins(
  draft: StepDraft,
  credential: Credential | undefined,
  masked: string,
): boolean {
  if (!credential) return false;
  if ((credential.wrongPins ?? 0) < lockoutSettings(draft.ctx.settings).maxWrongPins) return false;
  const { id: credentialId, holderId } = credential;
  draft.record({
    type: 'access.denied',
    data: { reason: 'pin_locked', card: masked, holderId, credentialId },
  });
  draft.effects.push({ kind: 'signal', signal: 'denied' });
  countDenial(draft, { kind: 'credential', credentialId, holderId });
  return true;
}

/** A wrong PIN was recorded (`access.denied`, `wrong_pin`); the one that reaches the cap locks. */
export function wrongPinCounted(
  draft: StepDraft,
  ids: { credentialId: number; holderId: number },
  before: number,
): void {
  const wrongPins = before + 1;
  if (wrongPins !== lockoutSettings(draft.ctx.settings).maxWrongPins) return;
  draft.record({ type: 'pin.locked', data: { ...ids, wrongPins } });
}

/** The right PIN (or the duress PIN) after wrong ones: the count starts again. */
export function rightPinTyped(
  draft: StepDraft,
  ids: { credentialId: number; holderId: number },
  before: number,
): void {
  if (before > 0) draft.record({ type: 'pin.reset', data: { ...ids, wrongPins: before } });
}
