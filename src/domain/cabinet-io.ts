import type { Actor, NewEvent } from './events.js';
import type { LockoutSubject } from './lockout.js';

/**
 * What the shell feeds the cabinet flow: driver events, timer ticks, and the central server's
 * commands once they are verified (src/commands/).
 */
export type CabinetInput =
  | { kind: 'badge'; card: string }
  | { kind: 'door'; open: boolean }
  | { kind: 'presence'; slot: number; present: boolean }
  | { kind: 'fob'; slot: number; tag: string | null }
  | { kind: 'tick' }
  | { kind: 'remote_release'; commandId: string; holderId: number; slot: number }
  | {
      kind: 'emergency_start';
      source: EmergencySource;
      commandId?: string;
      /** What to release; the door and every slot when absent (the remote command). */
      releases?: EmergencyReleases;
    }
  | { kind: 'emergency_end'; source: EmergencySource; commandId?: string }
  | { kind: 'lockdown_start'; commandId: string; allowHolders: number[] }
  | { kind: 'lockdown_end'; commandId: string }
  /** A custodian ends a lockout before its time (the CLI or the central server). */
  | { kind: 'clear_lockout'; actor: Actor; subject: LockoutSubject }
  /** A serial reader went away (unplugged, port closed, silent) or came back. */
  | { kind: 'reader'; reader: ReaderName; online: boolean; reason?: string }
  /** The profile's tamper switch became active (true) or returned to normal. */
  | { kind: 'tamper'; active: boolean }
  /** The profile's power-fail input: `failed` true while the supply is lost. */
  | { kind: 'power'; failed: boolean };

/** What an emergency releases: the door only, or the door and every slot. */
export type EmergencyReleases = 'door' | 'door_and_slots';

/** The cabinet's serial readers. */
export type ReaderName = 'badge' | 'fob';

/** Who declared an emergency: the central server's command or a fire-alarm input. */
export type EmergencySource = 'command' | 'input';

export type Signal = 'granted' | 'denied' | 'session_ended' | 'alarm';

/**
 * What the shell must do. `record` effects of one step are committed together, before any
 * hardware effect of that step runs and before anything is published.
 */
export type Effect =
  | { kind: 'record'; event: NewEvent }
  | { kind: 'door'; unlocked: boolean }
  | { kind: 'release'; slot: number; ms: number }
  | { kind: 'lock'; slot: number }
  | { kind: 'signal'; signal: Signal };
