/** The permission set's wire format: the rows of each section, full sets, deltas, summaries. */

import type {
  SetAccessGroup,
  SetGrant,
  SetGroupMember,
  SetKeySet,
  SetKeySetMember,
  SetKeyState,
  SetKeyTier,
  SetLoanLimit,
  SetReasonCode,
  SetSchedule,
  SetScheduleException,
  SetScheduleWindow,
  SetTierRule,
  SetValidity,
} from '../policy/set-rows.js';

export type * from '../policy/set-rows.js';

export interface SetHolder extends SetValidity {
  id: number;
  name: string;
  enabled: boolean;
  /** Keys the holder may have out at once; null or absent: the configured default. */
  maxKeysOut?: number | null;
}

export interface SetCredential extends SetValidity {
  id: number;
  holderId: number;
  /** Upper-case decimal or hex, as the badge reader delivers it. */
  card: string;
  enabled: boolean;
  /** Ask for the PIN at every badge of this card. Absent: false. */
  pinRequired?: boolean;
  /** scrypt$N$r$p$salt$hash (src/store/pin-hash.ts); null or absent: no PIN. */
  pinHash?: string | null;
  /** The same format, never equal to pinHash; grants as normal and raises a silent alarm. */
  duressPinHash?: string | null;
}

export interface SetKey extends SetLoanLimit {
  id: number;
  /** The fob's tag, upper-case hex. */
  tag: string;
  label: string;
  homeSlot: number;
  /** Absent: active. */
  state?: SetKeyState;
  /** Null or absent: untiered. */
  tier?: SetKeyTier | null;
  /** Local minute of the day (0–1439) by which the key is due back; null or absent: none. */
  curfewMinute?: number | null;
  /** Back to its home slot, or to any free slot with a fob reader. Absent: home. */
  returnPolicy?: 'home' | 'any';
}

export interface SetPermission extends SetValidity, SetLoanLimit {
  holderId: number;
  slot: number;
}

/**
 * The row type of each section; a section's name is also its field in the payload. A new
 * section is a row type here, its rule in SECTIONS (sections.ts) and its table mapping in
 * src/store/sync-tables.ts: the mapped types make the compiler ask for the last two.
 */
export interface SectionRows {
  holders: SetHolder;
  credentials: SetCredential;
  keys: SetKey;
  permissions: SetPermission;
  accessGroups: SetAccessGroup;
  groupMembers: SetGroupMember;
  keySets: SetKeySet;
  keySetMembers: SetKeySetMember;
  schedules: SetSchedule;
  scheduleWindows: SetScheduleWindow;
  scheduleExceptions: SetScheduleException;
  grants: SetGrant;
  tierRules: SetTierRule;
  reasonCodes: SetReasonCode;
}

export type SectionName = keyof SectionRows;

export type PermissionSections = { [S in SectionName]: Array<SectionRows[S]> };

/**
 * Sections a full set may leave out to keep the rows in force (SectionRule.keptWhenAbsent):
 * a validated full set has them only when the server sent them.
 */
export type KeptSectionName = 'tierRules' | 'reasonCodes';

/** A full set: ids are the central server's and become the cabinet's primary keys. */
export type PermissionSet = { version: number } & Omit<PermissionSections, KeptSectionName> &
  Partial<Pick<PermissionSections, KeptSectionName>>;

/** How a delta names a row to remove: by id, or a permission by its holder and slot. */
export interface SectionRemovals {
  holders: number;
  credentials: number;
  keys: number;
  permissions: SetPermission;
  accessGroups: number;
  groupMembers: SetGroupMember;
  keySets: number;
  keySetMembers: SetKeySetMember;
  schedules: number;
  scheduleWindows: number;
  scheduleExceptions: number;
  grants: number;
  tierRules: SetKeyTier;
  reasonCodes: string;
}

export interface PermissionDelta {
  version: number;
  /** The version the delta was computed against: it is applied on that version only. */
  baseVersion: number;
  upsert: { [S in SectionName]?: Array<SectionRows[S]> };
  remove: { [S in SectionName]?: Array<SectionRemovals[S]> };
}

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
}

export type SyncCounts = Record<SectionName, ChangeCounts>;

/** What a sync did: the reply to the central server and the `permissions.synced` event. */
export interface SyncSummary {
  form: 'full' | 'delta';
  version: number;
  previousVersion: number;
  counts: SyncCounts;
}
export interface SyncEnvelope {
  form: 'full' | 'delta';
  version: number;
  baseVersion?: number;
}
