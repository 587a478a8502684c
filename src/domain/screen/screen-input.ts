import type { ScreenView } from './screen-view.js';

/**
 * What the cabinet screen may send: the keypad's keys, a reason code picked from the list, and
 * the keys picked in pick-the-keys mode. Nothing here names a holder, a card or a policy: the
 * screen can only answer what the badge in progress asks, so it can open no more than that badge.
 */
export type ScreenInput =
  /** One PIN (or reason-code) digit on the on-screen pad; kept by the daemon, never shown. */
  | { kind: 'digit'; digit: string }
  /** Rubs out the digits typed so far. */
  | { kind: 'clear' }
  /** Enters the digits typed: the PIN, or the reason code. */
  | { kind: 'submit' }
  /** Abandons the entry in progress, as the keypad's clear key does. */
  | { kind: 'cancel' }
  /** A reason code picked from the site's list. */
  | { kind: 'reason'; code: string }
  /** Pick-the-keys mode: the slots to release. */
  | { kind: 'pick'; slots: number[] };

/**
 * `accepted`: handed to the cabinet (which may still refuse it, as it would the keypad's);
 * `not_awaited`: nothing on the screen asks for that now; `busy`: too many inputs too fast, or
 * a PIN is still being checked; `invalid`: not a digit, too many digits, a malformed pick.
 */
export type ScreenInputOutcome = 'accepted' | 'not_awaited' | 'busy' | 'invalid';

/** What the daemon hands the web layer for the cabinet screen: no more than this. */
export interface ScreenFeed {
  view(): ScreenView;
  /** Called with each new view; returns the unsubscribe. */
  onChange(listener: (view: ScreenView) => void): () => void;
  input(input: ScreenInput): Promise<ScreenInputOutcome>;
}
