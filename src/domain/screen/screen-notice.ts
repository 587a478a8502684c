import type { AuthorisationRefusal } from '../dual-authorisation.js';
import type { BadgeDenialReason } from '../denial-reason.js';
import type { NewEvent } from '../events.js';

/**
 * What the cabinet screen remembers of the last refusals: the state says who is at the cabinet
 * now, but a denial leaves nothing in it, so the screen keeps the recorded reasons for a few
 * seconds (or, for a granted holder, while their session lasts) to say them in plain words.
 * Pure: fed the recorded events and the monotonic time by the daemon.
 */
export type ScreenRefusal =
  | { kind: 'denied'; reason: BadgeDenialReason; slots?: number[] }
  | { kind: 'authoriser'; reason: AuthorisationRefusal };

export interface ScreenNotice {
  /** The holder the refusals concern; null for a card the cabinet does not know. */
  holderId: number | null;
  /** The badge concerned, for its lockout's time left. */
  credentialId: number | null;
  refusals: ScreenRefusal[];
  /** Monotonic ms after which nobody at the idle screen is shown these any more. */
  shownUntil: number;
  /**
   * Monotonic ms the last refusal was noted: shown to the same holder only within the entry or
   * session that began before it, never carried into their next badge.
   */
  notedAt: number;
}

/** How long a refusal stays on the idle screen: long enough to read, short for the next person. */
export const NOTICE_MS = 8_000;
/** Refusals kept at once: the newest, so a flood of refused picks cannot grow the notice. */
const MAX_REFUSALS = 3;

export const NO_NOTICE: ScreenNotice = {
  holderId: null,
  credentialId: null,
  refusals: [],
  shownUntil: 0,
  notedAt: 0,
};

export function noteEvents(
  notice: ScreenNotice,
  events: readonly NewEvent[],
  nowMs: number,
): ScreenNotice {
  let next = notice;
  for (const event of events) next = noteEvent(next, event, nowMs);
  return next === notice ? notice : { ...next, notedAt: nowMs };
}

function noteEvent(notice: ScreenNotice, event: NewEvent, nowMs: number): ScreenNotice {
  const shownUntil = nowMs + NOTICE_MS;
  switch (event.type) {
    case 'access.granted': {
      // Central-server releases are nobody's at the screen.
      if (event.data.credentialId === undefined) return notice;
      const { holderId, credentialId, takeRefused } = event.data;
      const refusals: ScreenRefusal[] = takeRefused
        ? [{ kind: 'denied', reason: takeRefused }]
        : [];
      return { holderId, credentialId, refusals, shownUntil, notedAt: nowMs };
    }
    case 'access.denied': {
      if (event.data.commandId !== undefined) return notice;
      const { reason, slots } = event.data;
      const holderId = event.data.holderId ?? null;
      const credentialId = event.data.credentialId ?? null;
      const refusal: ScreenRefusal = slots
        ? { kind: 'denied', reason, slots }
        : { kind: 'denied', reason };
      // Within a session (a refused pick) the holder's earlier refusals stay beside it.
      const same = holderId !== null && notice.holderId === holderId && reason === 'pick_refused';
      const refusals = same ? [...notice.refusals, refusal].slice(-MAX_REFUSALS) : [refusal];
      return { holderId, credentialId, refusals, shownUntil, notedAt: nowMs };
    }
    case 'authorisation.refused':
      return withRefusal(notice, event.data.holderId, event.data.reason, nowMs);
    case 'authorisation.expired':
      return withRefusal(notice, event.data.holderId, 'authorisation_expired', nowMs);
    default:
      return notice;
  }
}

/** An authoriser's refusal belongs to the taker who waits for them. */
function withRefusal(
  notice: ScreenNotice,
  holderId: number,
  reason: AuthorisationRefusal,
  nowMs: number,
): ScreenNotice {
  const refusal: ScreenRefusal = { kind: 'authoriser', reason };
  const kept = notice.holderId === holderId ? notice.refusals : [];
  const credentialId = notice.holderId === holderId ? notice.credentialId : null;
  return {
    holderId,
    credentialId,
    refusals: [...kept, refusal].slice(-MAX_REFUSALS),
    shownUntil: nowMs + NOTICE_MS,
    notedAt: nowMs,
  };
}
