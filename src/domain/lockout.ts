/**
 * Lockout after repeated denied badges. Pure: the cabinet flow keeps the `LockoutBook` in its
 * state and passes monotonic time in, so a wall-clock step (NTP after a power cut) can neither
 * lift a lockout early nor extend it.
 *
 * Two kinds of subject are counted: a known credential (its own denials), and the reader (cards
 * the cabinet does not know). Cards that are not enrolled cannot be told apart by anything but
 * their number, and an attacker trying random numbers presents a new one each time, so their
 * denials are counted together at the reader.
 */

/** One step of the escalation: after `attempts` denials within the window, lock for `lockMs`. */
export interface LockoutLevel {
  attempts: number;
  lockMs: number;
}

export interface LockoutSettings {
  /** Denials older than this (monotonic ms) no longer count towards a lockout. */
  windowMs: number;
  /**
   * The i-th successive lockout uses `levels[i]`; past the end of the list the last level's
   * allowance is kept and its period doubles each time, up to `maxLockMs`. The default, 3 tries
   * → 10 s then 2 more (5 in all) → 30 s, then 60 s, 120 s …, is the common convention.
   */
  levels: readonly LockoutLevel[];
  maxLockMs: number;
  /** A subject with no lockout for this long starts again from the first level. */
  forgetAfterMs: number;
  /**
   * Wrong PINs in a row after which a credential is refused until a custodian resets it. The
   * window's lockouts above slow a guesser down; they forget, and a guesser paced outside the
   * window never meets them. This count does not forget: it is kept in the database and only
   * the right PIN or a custodian puts it back to 0 (src/domain/flow/pin-failures.ts).
   */
  maxWrongPins: number;
}

export const DEFAULT_LOCKOUT: LockoutSettings = {
  windowMs: 60_000,
  levels: [
    { attempts: 3, lockMs: 10_000 },
    { attempts: 2, lockMs: 30_000 },
  ],
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxWrongPins: 5,
};

/** `holderId` only names the credential's holder in events; the credential is what is counted. */
export type LockoutSubject =
  { kind: 'reader' } | { kind: 'credential'; credentialId: number; holderId?: number };

export interface LockoutEntry {
  subject: LockoutSubject;
  /** Monotonic ms of the denials counted since the last lockout ended, oldest first. */
  denials: readonly number[];
  /** How many lockouts this subject has had since it was last forgiven. */
  lockouts: number;
  /** Monotonic ms the current lockout ends; null when not locked. */
  lockedUntil: number | null;
  /** Monotonic ms the last lockout started (for `forgetAfterMs`). */
  lastLockedAt: number | null;
  /**
   * Badges refused during the current lockout and not recorded: counted, so frames injected on
   * the reader's wire cannot flood the event log and the outbox.
   */
  refused: number;
  /** The credentials whose first refusal in the current lockout was recorded. */
  recorded: readonly number[];
}

/** Every subject with something to remember, by `subjectKey`. Plain data, replaced by each step. */
export type LockoutBook = Readonly<Record<string, LockoutEntry>>;

export function subjectKey(subject: LockoutSubject): string {
  return subject.kind === 'reader' ? 'reader' : `credential:${subject.credentialId}`;
}

export function isLocked(book: LockoutBook, subject: LockoutSubject, nowMs: number): boolean {
  const until = book[subjectKey(subject)]?.lockedUntil;
  return until != null && nowMs < until;
}

/** The period of the n-th (0-based) successive lockout. */
export function lockPeriod(settings: LockoutSettings, n: number): LockoutLevel {
  const { levels } = settings;
  const last = levels[levels.length - 1];
  if (!last) throw new RangeError('lockout settings need at least one level');
  const level = levels[n];
  if (level) return level;
  const doublings = n - (levels.length - 1);
  return {
    attempts: last.attempts,
    lockMs: Math.min(settings.maxLockMs, last.lockMs * 2 ** doublings),
  };
}

export type DenialOutcome =
  | { locked: false; book: LockoutBook }
  | { locked: true; book: LockoutBook; attempts: number; level: number; lockMs: number };

/** Counts one denial; when it fills the current level's allowance, a lockout starts. */
export function countDenial(
  book: LockoutBook,
  subject: LockoutSubject,
  nowMs: number,
  settings: LockoutSettings,
): DenialOutcome {
  const key = subjectKey(subject);
  const previous = book[key];
  const forgiven =
    previous?.lastLockedAt != null && nowMs - previous.lastLockedAt >= settings.forgetAfterMs;
  const lockouts = previous && !forgiven ? previous.lockouts : 0;
  const denials = [...(previous?.denials ?? []), nowMs].filter(
    (t) => nowMs - t < settings.windowMs,
  );
  const { attempts, lockMs } = lockPeriod(settings, lockouts);
  if (denials.length < attempts) {
    const entry: LockoutEntry = {
      subject,
      denials,
      lockouts,
      lockedUntil: null,
      lastLockedAt: forgiven ? null : (previous?.lastLockedAt ?? null),
      refused: 0,
      recorded: [],
    };
    return { locked: false, book: { ...book, [key]: entry } };
  }
  const entry: LockoutEntry = {
    subject,
    denials: [],
    lockouts: lockouts + 1,
    lockedUntil: nowMs + lockMs,
    lastLockedAt: nowMs,
    refused: 0,
    recorded: [],
  };
  return {
    locked: true,
    book: { ...book, [key]: entry },
    attempts: denials.length,
    level: lockouts + 1,
    lockMs,
  };
}

/** A grant proves the credential is good: it forgets the credential's denials and lockouts. */
export function forget(book: LockoutBook, subject: LockoutSubject): LockoutBook {
  const key = subjectKey(subject);
  if (!(key in book)) return book;
  const { [key]: _removed, ...rest } = book;
  return rest;
}

/**
 * A known card refused by a lockout in force (its own, or the reader's). Only each card's first
 * refusal in a lockout is to be recorded (the central server sees who tried); repeats are
 * counted, and the count is reported when the lockout ends or is cleared
 * (`LiftedLock.refused`). So a stream of injected frames costs one event per card enrolled at
 * most, not one per frame.
 */
export function refuseDuringLock(
  book: LockoutBook,
  lock: LockoutSubject,
  credentialId: number,
): { book: LockoutBook; record: boolean } {
  const key = subjectKey(lock);
  const entry = book[key];
  if (!entry) return { book, record: true };
  if (!entry.recorded.includes(credentialId)) {
    const recorded = [...entry.recorded, credentialId];
    return { book: { ...book, [key]: { ...entry, recorded } }, record: true };
  }
  return { book: { ...book, [key]: { ...entry, refused: entry.refused + 1 } }, record: false };
}

/** An unknown card refused by the reader's lockout: counted with it, never recorded. */
export function countRefusedUnknown(book: LockoutBook): LockoutBook {
  const entry = book[subjectKey({ kind: 'reader' })];
  if (!entry) return book;
  return { ...book, reader: { ...entry, refused: entry.refused + 1 } };
}

/** A lockout lifted, with the badges it refused without recording them. */
export interface LiftedLock {
  subject: LockoutSubject;
  refused: number;
}

/** Ends a lockout early (a custodian's decision); the escalation level is kept. */
export function clearLock(
  book: LockoutBook,
  subject: LockoutSubject,
): { book: LockoutBook; lifted: LiftedLock | null } {
  const key = subjectKey(subject);
  const entry = book[key];
  if (!entry || entry.lockedUntil === null) return { book, lifted: null };
  const next = { ...entry, lockedUntil: null, denials: [], refused: 0, recorded: [] };
  const lifted = { subject: entry.subject, refused: entry.refused };
  return { book: { ...book, [key]: next }, lifted };
}

/** A lockout in force when the daemon stopped, as the event log remembers it. */
export interface RememberedLock {
  subject: LockoutSubject;
  /** Its level (1 for a subject's first lockout): the next one is longer, as before. */
  level: number;
  /** What is left of it now. */
  remainingMs: number;
}

/**
 * The book at start, with the lockouts the event log says are still in force: a restart (a
 * crash, a power cut, someone pulling the plug) must not lift them early. Their remaining time
 * counts on this run's monotonic clock from `nowMs`.
 */
export function restoreLocks(remembered: readonly RememberedLock[], nowMs: number): LockoutBook {
  const book: Record<string, LockoutEntry> = {};
  for (const lock of remembered) {
    if (lock.remainingMs <= 0) continue;
    book[subjectKey(lock.subject)] = {
      subject: lock.subject,
      denials: [],
      lockouts: lock.level,
      lockedUntil: nowMs + lock.remainingMs,
      lastLockedAt: nowMs,
      refused: 0,
      recorded: [],
    };
  }
  return book;
}

/** Lockouts whose period is over at `nowMs`, and the book with them lifted. */
export function expireLocks(
  book: LockoutBook,
  nowMs: number,
): { book: LockoutBook; ended: LiftedLock[] } {
  const ended: LiftedLock[] = [];
  let next: Record<string, LockoutEntry> | null = null;
  for (const [key, entry] of Object.entries(book)) {
    if (entry.lockedUntil === null || nowMs < entry.lockedUntil) continue;
    next ??= { ...book };
    next[key] = { ...entry, lockedUntil: null, refused: 0, recorded: [] };
    ended.push({ subject: entry.subject, refused: entry.refused });
  }
  return { book: next ?? book, ended };
}
