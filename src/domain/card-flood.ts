import type { LockoutSettings } from './lockout.js';

/**
 * A flood of unknown cards at the badge reader. Cards the cabinet does not know are counted
 * together at the reader (src/domain/lockout.ts): that is what slows an attacker trying card
 * numbers. Three blank cards used to lock out everyone, staff included; now the reader's
 * lockout refuses unknown cards and card-only credentials, while a known card with a PIN gets
 * in by typing it (the PIN is asked even where it is not otherwise required). A card number
 * found by guessing during the lockout still needs the PIN, and that credential's own wrong
 * PINs lock it as ever.
 *
 * The flood is one alarm, `reader.card_flood`, raised with the reader's first lockout and kept
 * while unknown cards keep coming. Unknown cards refused during a lockout are counted, not
 * recorded one by one: `lockout.ended` carries the count. So a stack of blank cards costs the
 * event log and the central server a few events per lockout period, not one per card.
 */
export interface CardFlood {
  /** Monotonic ms of the latest unknown card, counted or refused. */
  lastCardAt: number;
  /** Unknown cards refused since the reader's last `lockout.ended`, not recorded one by one. */
  refused: number;
}

/** An unknown card seen during the flood: refused while the reader is locked, or counted. */
export function floodCardSeen(flood: CardFlood, nowMs: number, refused: boolean): CardFlood {
  return { lastCardAt: nowMs, refused: flood.refused + (refused ? 1 : 0) };
}

/** The flood is over once the reader is not locked and no unknown card came for a window. */
export function floodOver(
  flood: CardFlood,
  nowMs: number,
  readerLocked: boolean,
  settings: Pick<LockoutSettings, 'windowMs'>,
): boolean {
  return !readerLocked && nowMs - flood.lastCardAt >= settings.windowMs;
}
