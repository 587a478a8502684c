import type { EmergencyReleases, ReaderName } from './cabinet-io.js';
import { DEFAULT_LOCKOUT, type LockoutBook, type LockoutSettings } from './lockout.js';

/** What the cabinet flow remembers between inputs. Plain data, replaced (never mutated) by each step. */

export type ReleaseReason = 'session' | 'wrong_slot';

export interface SlotState {
  /** A key is physically in the slot (key-present switch or fob reader). */
  occupied: boolean;
  /** The tag the fob reader last reported in this slot; null when none is known. */
  tag: string | null;
  /** Why the slot is released, or null when locked. */
  release: { reason: ReleaseReason; until: number } | null;
}

export interface Session {
  holderId: number;
  holderName: string;
  /** The badge's credential; null when the central server's `release` opened the session. */
  credentialId: number | null;
  /** Slots released for this session. */
  slots: number[];
  /** Monotonic ms at which everything relocks. */
  endsAt: number;
  doorOpened: boolean;
}

export type AlarmType =
  | 'door.forced'
  | 'key.forced'
  | 'key.wrong_slot'
  | 'key.unknown_fob'
  | 'reader.offline'
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
  /** The reader concerned, for `reader.offline`. */
  reader?: ReaderName;
  /** Wall time it was raised (ISO 8601). */
  since: string;
}

/**
 * Emergency release: the door unlocked and every slot released until it ends. Never persisted:
 * after a restart the cabinet comes up locked, and the command (or the input) must ask again.
 */
export interface Emergency {
  source: 'command' | 'input';
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
}

export interface CabinetState {
  /** Index i is slot i+1. */
  slots: SlotState[];
  door: { open: boolean };
  session: Session | null;
  alarms: ActiveAlarm[];
  emergency: Emergency | null;
  lockdown: Lockdown | null;
  /**
   * Denied badges and lockouts in progress. Kept in memory only: a restart forgives them, which
   * costs an attacker a power cut per few tries.
   */
  lockouts: LockoutBook;
}

export interface CabinetSettings {
  slotCount: number;
  /** How long the door and released slots stay released after a grant. */
  sessionMs: number;
  /** Length of each release pulse that keeps a wrong-slot fob removable. */
  wrongSlotPulseMs: number;
  /** Lockout after repeated denied badges; `DEFAULT_LOCKOUT` when absent. */
  lockout?: LockoutSettings;
}

export function lockoutSettings(settings: CabinetSettings): LockoutSettings {
  return settings.lockout ?? DEFAULT_LOCKOUT;
}

/** The state at start: everything locked; a lockdown the store remembers stays in force. */
export function initialCabinetState(
  slotCount: number,
  lockdown: Lockdown | null = null,
): CabinetState {
  return {
    slots: Array.from({ length: slotCount }, () => ({ occupied: false, tag: null, release: null })),
    door: { open: false },
    session: null,
    alarms: [],
    emergency: null,
    lockdown,
    lockouts: {},
  };
}
