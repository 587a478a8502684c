import type { PendingAuthorisation } from './dual-authorisation.js';
import type { Requirements } from './key-tiers.js';
import type { OverdueBook } from './loans.js';
import { DEFAULT_DOOR_TIMINGS, type DoorTimings, type DoorWatch } from './door-watch.js';
import type { CardFlood } from './card-flood.js';
import { DEFAULT_LOCKOUT, type LockoutBook, type LockoutSettings } from './lockout.js';

/** What the cabinet flow remembers between inputs. Plain data, replaced (never mutated) by each step. */

// The cabinet's parts that its inputs, its state and its events all name. They live here, with
// the state, so that cabinet-inputs.ts and events.ts import this module and it imports neither.

/** What an emergency releases: the door only, or the door and every slot. */
export type EmergencyReleases = 'door' | 'door_and_slots';

/** The cabinet's serial readers. */
export type ReaderName = 'badge' | 'fob';

/** Who declared an emergency: the central server's command or a fire-alarm input. */
export type EmergencySource = 'command' | 'input';

/**
 * Why a slot is released. Both end with the session they were given to (src/domain/misplaced-keys.ts):
 * outside a session and an emergency release no solenoid is ever on.
 * - `session`: a key the session's holder may take (a check-out when it leaves);
 * - `wrong_slot`: a misplaced key still on loan, released so it can be moved home (it stays on
 *   its loan until it arrives there).
 */
export type ReleaseReason = 'session' | 'wrong_slot';

export interface SlotState {
  /** A key is physically in the slot (key-present switch or fob reader). */
  occupied: boolean;
  /**
   * The slot's key-present switch shows a key. Unlike a fob report, which is bytes on a serial
   * line, the switch is wired to the cabinet's own GPIO: a slot is released only when it
   * agrees, and only it (not a fob report alone) empties a slot it shows occupied.
   */
  switchOn?: boolean;
  /** The tag the fob reader last reported in this slot; null when none is known. */
  tag: string | null;
  /** Why the slot is released, or null when locked. */
  release: { reason: ReleaseReason; until: number } | null;
  /**
   * A tag the fob reader reported here while the same tag was in another slot: a cloned or
   * duplicated fob, or a forged report (`key.duplicate_fob`). Not taken as this slot's key; the
   * slot keeps the key it had and stays locked until the report goes away.
   */
  duplicateTag?: string;
  /**
   * A tag the fob reader reported while the slot's key-present switch showed it empty (or had
   * not reported yet). A fob report is bytes on a serial line: its arrival is processed only
   * once the switch agrees (src/domain/flow/slots-and-fobs.ts), and forgotten on `S<n>:-`.
   */
  unconfirmedTag?: string;
  /**
   * After a `key.swapped`: the tag of the key recorded here before another key took its place.
   * The alarm clears when that tag is back (src/domain/key-swap.ts).
   */
  expectedTag?: string;
}

export interface Session {
  holderId: number;
  holderName: string;
  /** The badge's credential; null when the central server's `release` opened the session. */
  credentialId: number | null;
  /** Slots released for this session. */
  slots: number[];
  /**
   * Pick-the-keys mode (`CabinetSettings.pickKeysOnScreen`): slots the policy granted that stay
   * locked until the holder picks them on the cabinet screen (flow/screen-pick.ts). Absent
   * outside that mode. A pick can only move slots from here to `slots`, never add others.
   */
  offered?: number[];
  /** Monotonic ms at which everything relocks. */
  endsAt: number;
  doorOpened: boolean;
  /** Keys the holder has out, those taken in this session included. */
  keysOut: number;
  /** When keysOut reaches this, the session's other slots relock; absent: no limit. */
  maxKeysOut?: number;
}

/**
 * A badge accepted by the policy that still waits for something before anything opens: the
 * holder's PIN, a reason code, or the further holders of the two- and three-person rule.
 */
export interface PendingBadge {
  stage: 'pin' | 'reason_code' | 'authorisers';
  holderId: number;
  holderName: string;
  credentialId: number;
  /** The shortened card, for the events. */
  card: string;
  /** Slots released once the holder's own entries are made. */
  slots: number[];
  /** Slots that also wait for authorisers (their keys' tier asks for them). */
  gated: number[];
  requirements: Requirements;
  reasonCode: string | null;
  authorisation: PendingAuthorisation | null;
  /** Monotonic ms at which the PIN or reason entry lapses. */
  expiresAt: number;
  keysOut: number;
  maxKeysOut?: number;
  /** The credential's wrong PINs in a row when it badged (`Credential.wrongPins`). */
  wrongPins: number;
}

/** The loan counts a session opened for a waiting badge starts with. */
export function pendingLoans(pending: PendingBadge): { keysOut: number; maxKeysOut?: number } {
  const { keysOut, maxKeysOut } = pending;
  return maxKeysOut === undefined ? { keysOut } : { keysOut, maxKeysOut };
}

export type AlarmType =
  | 'door.forced'
  | 'key.forced'
  | 'key.wrong_slot'
  | 'key.unknown_fob'
  /** Listed while the key is out past its due time; quiet at the cabinet (no buzzer). */
  | 'key.overdue'
  | 'door.held_open'
  | 'key.swapped'
  | 'key.duplicate_fob'
  | 'key.missing'
  | 'reader.offline'
  | 'reader.card_flood'
  /** An OSDP reader's tamper switch, or its Secure Channel broken (a forged or replayed reply). */
  | 'reader.tampered'
  | 'cabinet.tamper'
  | 'power.failed'
  /** Raised by the shell, not the flow: too many events wait for the central server. */
  | 'storage.backlog'
  /** Raised by the shell: the database refuses writes (src/daemon/storage-outage.ts). */
  | StorageAlarmType;

/** Why the database refuses writes: no space, a read-only filesystem, corruption, or else. */
export type StorageAlarmType =
  'storage.full' | 'storage.readonly' | 'storage.corrupt' | 'storage.failed';

/** An alarm raised and not yet cleared; the retained `alarms` state lists these. */
export interface ActiveAlarm {
  type: AlarmType;
  /** The slot concerned, for the key alarms. */
  slot?: number;
  /** The reader concerned, for `reader.offline` and `reader.tampered`. */
  reader?: ReaderName;
  /** Wall time it was raised (ISO 8601). */
  since: string;
}

/**
 * Emergency release: the door unlocked and every slot released until it ends. Never persisted:
 * after a restart the cabinet comes up locked, and the command (or the input) must ask again.
 */
export interface Emergency {
  source: EmergencySource;
  /** The door only, or the door and every slot. */
  releases: EmergencyReleases;
  /** The command that started it, when a command did. */
  commandId?: string;
  /** Monotonic ms at which the slots' release pulses are renewed (the driver cuts each pulse). */
  renewAt: number;
}

/**
 * Lockdown: every badge denied except the listed holders'. Persisted by the shell (SQLite), so
 * a restart does not silently lift it.
 */
export interface Lockdown {
  commandId: string;
  allowHolders: number[];
  /** Members of these access groups are admitted too (the custodians); absent: none. */
  allowGroups?: number[];
}

export interface CabinetState {
  /** Index i is slot i+1. */
  slots: SlotState[];
  /** `watch` runs the door alarms' timers while the door is open (src/domain/door-watch.ts). */
  door: { open: boolean; watch?: DoorWatch };
  session: Session | null;
  alarms: ActiveAlarm[];
  emergency: Emergency | null;
  lockdown: Lockdown | null;
  /**
   * Denied badges and lockouts in progress. Kept in memory only: a restart forgives them, which
   * costs an attacker a power cut per few tries.
   */
  lockouts: LockoutBook;
  /** Unknown cards flooding the badge reader (src/domain/card-flood.ts); null when none. */
  cardFlood: CardFlood | null;
  /** A badge waiting for a PIN, a reason code or authorisers; null when none. */
  pending: PendingBadge | null;
  /** Overdue loans already announced, with their next reminder (monotonic ms). */
  overdue: OverdueBook;
  /**
   * Wall ms up to which validity ends have been recorded as `validity.expired`; null until the
   * first tick, which starts from its own time. The shell seeds it from the store at start.
   */
  expiriesUntil: number | null;
}

export interface CabinetSettings {
  slotCount: number;
  /** How long the door and released slots stay released after a grant. */
  sessionMs: number;
  /**
   * Length of each renewed pulse of an emergency release (config `wrongSlotPulseSeconds`, a
   * historical name: misplaced keys are released only within a session now).
   */
  wrongSlotPulseMs: number;
  /** Lockout after repeated denied badges; `DEFAULT_LOCKOUT` when absent. */
  lockout?: LockoutSettings;
  /** Loans, PIN entry and authorisation timings; `DEFAULT_POLICY` when absent. */
  policy?: PolicySettings;
  /** Door alarm timings; `DEFAULT_DOOR_TIMINGS` when absent. */
  door?: DoorTimings;
  /**
   * Slots whose key-present switch is wired (profile `keyPresent`); every slot when absent, as
   * the profile schema requires one per slot. A fob report's arrival in such a slot counts only
   * once its switch shows a key; a slot without one trusts its fob line.
   */
  keyPresentSlots?: readonly number[];
  /**
   * Pick-the-keys mode (config `cabinet.pickKeysOnScreen`): a grant opens the door and offers
   * its slots on the cabinet screen; only the slots the holder picks there are released.
   */
  pickKeysOnScreen?: boolean;
}

/** Whether the slot's key-present switch is wired, so a fob report alone is not believed there. */
export function hasKeyPresentSwitch(settings: CabinetSettings, slot: number): boolean {
  return settings.keyPresentSlots === undefined || settings.keyPresentSlots.includes(slot);
}

export function doorTimings(settings: CabinetSettings): DoorTimings {
  return settings.door ?? DEFAULT_DOOR_TIMINGS;
}

export interface PolicySettings {
  /** Keys a holder may have out at once unless their own record says; undefined: no limit. */
  maxKeysOut?: number;
  /** A holder with an overdue key may take no other (they may still return keys). */
  overdueBlocksTaking: boolean;
  /** Interval between `key.overdue_reminder`s. */
  overdueReminderMs: number;
  /** How long the further holders of the two- and three-person rule have to badge. */
  authorisationWindowMs: number;
  /** How long the PIN, and then the reason code, may take after the badge. */
  entryMs: number;
}

export const DEFAULT_POLICY: PolicySettings = {
  overdueBlocksTaking: true,
  overdueReminderMs: 60 * 60_000,
  authorisationWindowMs: 60_000,
  entryMs: 20_000,
};

export function lockoutSettings(settings: CabinetSettings): LockoutSettings {
  return settings.lockout ?? DEFAULT_LOCKOUT;
}

export function policySettings(settings: CabinetSettings): PolicySettings {
  return settings.policy ?? DEFAULT_POLICY;
}

/**
 * The state at start: everything locked; a lockdown and the lockouts the store remembers stay
 * in force.
 */
export function initialCabinetState(
  slotCount: number,
  lockdown: Lockdown | null = null,
  expiriesUntil: number | null = null,
  lockouts: LockoutBook = {},
): CabinetState {
  return {
    slots: Array.from({ length: slotCount }, () => ({ occupied: false, tag: null, release: null })),
    door: { open: false },
    session: null,
    alarms: [],
    emergency: null,
    lockdown,
    lockouts,
    cardFlood: null,
    pending: null,
    overdue: {},
    expiriesUntil,
  };
}
