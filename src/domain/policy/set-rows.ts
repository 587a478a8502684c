/**
 * The policy's sections of the permission set, as the central server sends them (issue 4).
 * Instants are ISO 8601 UTC text ("2026-12-01T18:00:00Z"); a validity start is inclusive, an
 * end exclusive; null or absent is no bound. Minutes are local wall-clock minutes after
 * midnight in the cabinet's time zone.
 */

/** Validity fields an existing row may carry; optional so that older servers need not send them. */
export interface SetValidity {
  validFrom?: string | null;
  validUntil?: string | null;
}

/** Key states a set may give; a key is retired by leaving it out of the set. */
export type SetKeyState = 'active' | 'lost' | 'stolen';

export interface SetAccessGroup extends SetLoanLimit {
  id: number;
  name: string;
}

export interface SetGroupMember {
  holderId: number;
  groupId: number;
}

export interface SetKeySet {
  id: number;
  name: string;
}

export interface SetKeySetMember {
  keySetId: number;
  keyId: number;
}

export interface SetSchedule {
  id: number;
  name: string;
}

export interface SetScheduleWindow {
  id: number;
  scheduleId: number;
  /** 1 = Monday … 7 = Sunday. */
  day: number;
  startMinute: number;
  /** Exclusive, up to 1440; greater than startMinute (a window never crosses midnight). */
  endMinute: number;
}

export interface SetScheduleException {
  id: number;
  scheduleId: number;
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  kind: 'closed' | 'open';
  /** Both or neither: without them the exception covers the whole day. */
  startMinute?: number | null;
  endMinute?: number | null;
}

/** Exactly one of holderId and groupId, exactly one of slot and keySetId. */
export interface SetGrant extends SetValidity, SetLoanLimit {
  id: number;
  holderId?: number | null;
  groupId?: number | null;
  slot?: number | null;
  keySetId?: number | null;
  scheduleId?: number | null;
}

/** The master-key tiers a key may carry; null or absent: untiered. */
export type SetKeyTier = 'grand_master' | 'master' | 'sub_master' | 'change';

/** Rule 4's loan limit, in minutes (> 0); null or absent: no limit of this row's own. */
export interface SetLoanLimit {
  maxLoanMinutes?: number | null;
}

/** What taking a key of one tier requires; the tier is the row's key. */
export interface SetTierRule {
  tier: SetKeyTier;
  /** Further authorised holders who must badge before the release. */
  authorisers: 0 | 1 | 2;
  /** When set, each authoriser must belong to this access group. */
  authoriserGroupId?: number | null;
  pin: boolean;
  maxLoanMinutes?: number | null;
  reasonCode: boolean;
}

/** A reason code the keypad may give (1–6 digits), with what it means. */
export interface SetReasonCode {
  code: string;
  description: string;
}
