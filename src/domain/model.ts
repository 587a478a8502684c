/**
 * The records the policy is decided from. These are plain data: the store loads them and the
 * domain decides; neither knows how the other works.
 */
export interface Holder extends Validity {
  id: number;
  name: string;
  enabled: boolean;
  /** Keys this holder may have out at once; null or absent: the configured default. */
  maxKeysOut?: number | null;
}

export interface Credential extends Validity {
  id: number;
  holderId: number;
  /** The card number as the reader delivers it (see hardware/README.md). */
  card: string;
  enabled: boolean;
  /** The holder must enter their PIN after this badge. */
  pinRequired?: boolean;
  /** Whether a PIN is set; the hash itself never leaves the store. */
  hasPin?: boolean;
  /**
   * Wrong PINs typed in a row for this credential, kept in the database across restarts
   * (migration 010): the right PIN or a custodian's reset puts it back to 0. At
   * `LockoutSettings.maxWrongPins` the credential is refused until a custodian resets it.
   */
  wrongPins?: number;
}

export interface Key {
  id: number;
  /** The fob's tag as the fob reader reports it (upper-case hex). */
  tag: string;
  /** A label that need not reveal which lock the key opens. */
  label: string;
  homeSlot: number;
  /** Absent means active (records written before key states were read). */
  state?: KeyState;
  /** The master-key tier; null or absent: untiered. */
  tier?: KeyTier | null;
  /** The key's own loan limits; null or absent: none. */
  maxLoanMinutes?: number | null;
  /** Minutes after local midnight by which the key is due back. */
  curfewMinute?: number | null;
  /** Where the key may be returned: its home slot (default) or any free slot. */
  returnPolicy?: ReturnPolicy;
}

export type ReturnPolicy = 'home' | 'any';

/** A holder may take the key whose home is this slot. */
export interface SlotPermission extends Validity {
  holderId: number;
  slot: number;
  /** A loan limit of this permission's own. */
  maxLoanMinutes?: number | null;
}

export interface Loan {
  keyId: number;
  holderId: number;
  slot: number;
  /** Wall time (ms) the key left the cabinet. */
  outAtMs: number;
  /** Wall time (ms) it is due back; null or absent: no limit applied. */
  dueAtMs?: number | null;
  /** Whether `key.overdue` has been recorded for this loan (announced once, across restarts). */
  overdueAnnounced?: boolean;
}

// --- Access policy (issue 4): validity windows, key states, groups, key sets, schedules. ---

/**
 * When a record is in force: from `validFromMs` (inclusive) until `validUntilMs` (exclusive),
 * so a contractor whose end is 18:00 is refused from 18:00:00.000 on. null or absent: no bound.
 */
export interface Validity {
  validFromMs?: number | null;
  validUntilMs?: number | null;
}

/** Lost, stolen and retired keys are never released; only an active key's slot may open. */
export type KeyState = 'active' | 'lost' | 'stolen' | 'retired';

/** The key's place in the master-key hierarchy; the rules of each tier are in key-tiers.ts. */
export type KeyTier = 'grand_master' | 'master' | 'sub_master' | 'change' | 'none';

/** Monday = 1 … Sunday = 7 (ISO 8601), in the cabinet's time zone. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * Open on `day` from `startMinute` (inclusive) to `endMinute` (exclusive), minutes after local
 * midnight as the wall clock reads them. A window never crosses midnight: overnight access is
 * two windows (Mon 18:00–24:00 and Tue 00:00–06:00), so each day is judged on its own.
 */
export interface WeeklyWindow {
  day: IsoWeekday;
  startMinute: number;
  endMinute: number;
}

/**
 * A dated exception to the weekly windows, on a local calendar date (YYYY-MM-DD). `closed`
 * denies (a holiday, a closure); `open` admits outside the weekly windows. Without minutes it
 * covers the whole day. A closure wins over an extra opening on the same date.
 */
export interface ScheduleException {
  date: string;
  kind: 'closed' | 'open';
  startMinute?: number | null;
  endMinute?: number | null;
}

export interface Schedule {
  id: number;
  windows: WeeklyWindow[];
  exceptions: ScheduleException[];
}

/** Whom a grant names: one holder, or every member of an access group. */
export type GrantSubject =
  { kind: 'holder'; holderId: number } | { kind: 'group'; groupId: number };

/**
 * A permission as the policy engine reads it: a holder's or a group's, on one slot or on a key
 * set, resolved by the store to the home slots of the set's keys. It may be bounded in time
 * and may carry a schedule (null: any time).
 */
export interface PolicyGrant extends Validity {
  id: number;
  subject: GrantSubject;
  slots: number[];
  schedule: Schedule | null;
  /** A loan limit for keys taken under this grant. */
  maxLoanMinutes?: number | null;
}
