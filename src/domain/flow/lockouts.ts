import { lockoutSettings } from '../cabinet-state.js';
import { floodCardSeen } from '../card-flood.js';
import type { LockoutRef } from '../events.js';
import {
  countDenial as countInBook,
  expireLocks,
  type LiftedLock,
  type LockoutSubject,
} from '../lockout.js';
import type { StepDraft } from './step-draft.js';

// Denials counted towards a lockout, and lockouts ending on time: the flow's side of
// src/domain/lockout.ts and src/domain/card-flood.ts. A custodian's early end is a remote
// command (remote-commands.ts).

/** Counts a denial; the one that locks records `lockout.started` (and a flood of unknown cards). */
export function countDenial(draft: StepDraft, subject: LockoutSubject): void {
  const settings = lockoutSettings(draft.ctx.settings);
  const outcome = countInBook(draft.lockouts, subject, draft.now, settings);
  draft.lockouts = outcome.book;
  const unknownCard = subject.kind === 'reader';
  if (unknownCard && draft.cardFlood) {
    draft.cardFlood = floodCardSeen(draft.cardFlood, draft.now, false);
  }
  if (!outcome.locked) return;
  draft.record({
    type: 'lockout.started',
    data: {
      ...lockoutRef(subject),
      attempts: outcome.attempts,
      level: outcome.level,
      durationSeconds: outcome.lockMs / 1000,
    },
  });
  if (!unknownCard || draft.cardFlood) return;
  // One alarm for the whole flood (src/domain/card-flood.ts), not one per card.
  draft.cardFlood = { lastCardAt: draft.now, refused: 0 };
  draft.record({
    type: 'reader.card_flood',
    data: {
      reader: 'badge',
      unknownCards: outcome.attempts,
      windowSeconds: settings.windowMs / 1000,
    },
  });
}

/**
 * Lockouts that ran their time, each with its own `lockout.ended` (and the reader's refused
 * cards). Run before every input, not only at the tick: a denial arriving after the end but
 * before the tick would otherwise start a new lockout over the old, unended one.
 */
export function endDueLockouts(draft: StepDraft): void {
  const expired = expireLocks(draft.lockouts, draft.now);
  draft.lockouts = expired.book;
  for (const lifted of expired.ended) {
    draft.record({ type: 'lockout.ended', data: { ...liftedRef(draft, lifted) } });
  }
}

/**
 * How a lifted lockout is named in `lockout.ended` and `lockout.cleared`, with the badges it
 * refused without recording them: the reader's unknown cards of a flood, and the further
 * badges of a locked subject after the first (src/domain/lockout.ts).
 */
export function liftedRef(
  draft: StepDraft,
  lifted: LiftedLock,
): LockoutRef & { refusedCards?: number } {
  const flood = lifted.subject.kind === 'reader' ? draft.cardFlood : null;
  if (flood) draft.cardFlood = { ...flood, refused: 0 };
  const refusedCards = lifted.refused + (flood?.refused ?? 0);
  const counted = flood || refusedCards > 0 ? { refusedCards } : {};
  return { ...lockoutRef(lifted.subject), ...counted };
}

/** How the lockout events name their subject. */
export function lockoutRef(subject: LockoutSubject): LockoutRef {
  if (subject.kind === 'reader') return { subject: 'reader' };
  const { credentialId, holderId } = subject;
  return { subject: 'credential', credentialId, ...(holderId === undefined ? {} : { holderId }) };
}
