/**
 * The two- and three-person rule: a flagged key is released only when one or two further
 * authorised holders badge within a window after the taker. Pure: the flow will keep the
 * pending request in its state and decide each authoriser's badge with this (flow wiring is
 * not done yet). The window runs on the monotonic clock.
 */
export interface PendingAuthorisation {
  holderId: number;
  credentialId: number | null;
  /** The slots to release once authorised. */
  slots: number[];
  /** Further holders needed, besides the taker. */
  required: 1 | 2;
  /** Each authoriser must belong to every one of these groups (none: any authorised holder). */
  groupIds: number[];
  /** Holders who have authorised so far, in badge order. */
  authorisers: number[];
  /**
   * The credential whose first tap was accepted and whose second tap, the confirmation, is
   * awaited; null when none is. A badge counts only when tapped twice in a row (see
   * `offerAuthoriser`).
   */
  confirming: number | null;
  /** Monotonic ms after which the request lapses. */
  expiresAt: number;
}

export interface Authoriser {
  holderId: number;
  /** The badge presented: the confirming second tap must be of the same card. */
  credentialId: number;
  groupIds: readonly number[];
  /** Whether the policy admits this holder at all now (enabled, valid, not locked out …). */
  admitted: boolean;
}

export type AuthorisationRefusal =
  /** The taker badged again: nobody can be their own second person. */
  | 'self_authorisation'
  /** The same authoriser twice: three people means three different people. */
  | 'already_authorised'
  | 'not_authorised'
  | 'not_in_group'
  | 'authorisation_expired';

export type AuthoriserOutcome =
  /** The first tap of an eligible authoriser: it counts once the same card is tapped again. */
  | { kind: 'confirm'; pending: PendingAuthorisation }
  | { kind: 'waiting'; pending: PendingAuthorisation }
  | { kind: 'complete'; pending: PendingAuthorisation }
  | { kind: 'refused'; reason: AuthorisationRefusal };

export function startAuthorisation(
  request: Omit<PendingAuthorisation, 'authorisers' | 'confirming' | 'expiresAt'>,
  nowMs: number,
  windowMs: number,
): PendingAuthorisation {
  return {
    ...request,
    groupIds: [...request.groupIds],
    slots: [...request.slots],
    authorisers: [],
    confirming: null,
    expiresAt: nowMs + windowMs,
  };
}

/** The request lapsed: from `expiresAt` on, a badge no longer counts. */
export function authorisationExpired(pending: PendingAuthorisation, nowMs: number): boolean {
  return nowMs >= pending.expiresAt;
}

/**
 * A badge offered as an authoriser. Eligibility is decided at every tap, but an eligible badge
 * counts only at its second tap in a row: a card that merely passes the reader during the
 * window (a holder walking by, a wallet against the cabinet) must not authorise anything. The
 * reader's debouncer makes a card held still one presentation, so the second tap is a
 * deliberate act: away from the reader and back. Any other card in between, refused or not,
 * starts the confirmation over (the flow clears `confirming` on a refusal).
 */
export function offerAuthoriser(
  pending: PendingAuthorisation,
  authoriser: Authoriser,
  nowMs: number,
): AuthoriserOutcome {
  if (authorisationExpired(pending, nowMs)) {
    return { kind: 'refused', reason: 'authorisation_expired' };
  }
  if (authoriser.holderId === pending.holderId) {
    return { kind: 'refused', reason: 'self_authorisation' };
  }
  if (pending.authorisers.includes(authoriser.holderId)) {
    return { kind: 'refused', reason: 'already_authorised' };
  }
  if (!authoriser.admitted) return { kind: 'refused', reason: 'not_authorised' };
  if (!pending.groupIds.every((g) => authoriser.groupIds.includes(g))) {
    return { kind: 'refused', reason: 'not_in_group' };
  }
  if (pending.confirming !== authoriser.credentialId) {
    return { kind: 'confirm', pending: { ...pending, confirming: authoriser.credentialId } };
  }
  const next = {
    ...pending,
    confirming: null,
    authorisers: [...pending.authorisers, authoriser.holderId],
  };
  return next.authorisers.length >= next.required
    ? { kind: 'complete', pending: next }
    : { kind: 'waiting', pending: next };
}
