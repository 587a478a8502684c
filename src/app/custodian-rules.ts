import { maskCard } from '../domain/mask-card.js';
import { quoted } from '../domain/values/free-text.js';
import { KeywardenError } from '../errors.js';
import type { GrantSpec } from '../store/custodian/grants.js';
import { slotExists } from '../store/custodian/keys.js';
import type { ChangeScope } from '../store/custodian/scope.js';
import { checkOrder } from './values.js';

/**
 * The rules of the custodian's operations: the shape of a card, a key's tag, a reason code, a
 * grant, and that a slot named exists. Each operation applies them before it opens a
 * transaction, so a bad value is an error that changed nothing, whichever adapter sent it.
 */

function usage(message: string): KeywardenError {
  return new KeywardenError('USAGE', message);
}

const CARD_PATTERN = /^[0-9A-F]{1,20}$/;

/** The card as the reader delivers it: decimal or hex digits, upper case. */
export function cleanCard(card: string): string {
  const clean = card.trim().toUpperCase();
  if (!CARD_PATTERN.test(clean)) {
    throw usage(`card "${maskCard(clean)}" must be 1 to 20 decimal or hex digits`);
  }
  return clean;
}

const TAG_PATTERN = /^[0-9A-F]{4,32}$/;

/** A key's fob tag, upper case. */
export function cleanTag(tag: string): string {
  const clean = tag.trim().toUpperCase();
  if (!TAG_PATTERN.test(clean)) throw usage(`tag "${tag}" must be 4 to 32 hex digits`);
  return clean;
}

export function checkReasonCode(code: string): string {
  const clean = code.trim();
  if (!/^\d{1,6}$/.test(clean)) {
    throw usage(`a reason code is 1 to 6 digits, not ${quoted(code)}`);
  }
  return clean;
}

/** Exactly one subject and one target, checked before anything is opened. */
export function checkGrantSpec(spec: GrantSpec): void {
  if ((spec.holderId === undefined) === (spec.groupId === undefined))
    throw usage('give exactly one of --holder and --group');
  if ((spec.slot === undefined) === (spec.keySetId === undefined))
    throw usage('give exactly one of --slot and --key-set');
  checkOrder(spec.validFrom ?? null, spec.validUntil ?? null);
}

/**
 * The slot must be one of this cabinet's. Checked before the transaction: slots are only ever
 * added (src/store/slots.ts), so one that exists now still exists when the change commits.
 */
export function requireSlot(scope: Pick<ChangeScope, 'db'>, slot: number): void {
  if (!slotExists(scope, slot)) {
    throw new KeywardenError('NOT_FOUND', `no slot ${slot} in this cabinet`);
  }
}

/** Authorisers from a group are only asked for when some authoriser is. */
export function checkAuthoriserGroup(rule: {
  authorisers: number;
  authoriserGroupId: number | null;
}): void {
  if (rule.authoriserGroupId !== null && rule.authorisers === 0) {
    throw usage('--authoriser-group needs --authorisers 1 or 2 (no authoriser is asked for)');
  }
}
