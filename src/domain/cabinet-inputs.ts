import type { Actor } from './actor.js';
import type { EmergencyReleases, EmergencySource, ReaderName } from './cabinet-state.js';
import type { LockoutSubject } from './lockout.js';
import type { PinOutcome } from './pin.js';

/**
 * What the shell feeds the cabinet flow: driver events, timer ticks, and the central server's
 * commands once they are verified (src/remote-commands/).
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
  | { kind: 'lockdown_start'; commandId: string; allowHolders: number[]; allowGroups?: number[] }
  | { kind: 'lockdown_end'; commandId: string }
  /** A custodian ends a lockout before its time (the CLI or the central server). */
  | { kind: 'clear_lockout'; actor: Actor; subject: LockoutSubject }
  /**
   * The outcome of a PIN typed after a badge. The shell checks it against the slow hash (the
   * flow never sees a PIN) and names the credential, so an outcome that arrives after another
   * badge replaced the one waiting is ignored.
   */
  | { kind: 'pin'; credentialId: number; outcome: PinOutcome }
  /** Digits typed on the keypad while a reason code is awaited. */
  | { kind: 'reason_code'; code: string }
  /**
   * The cabinet screen, in pick-the-keys mode: release these of the session's offered slots.
   * A pick naming any slot not offered is refused whole and recorded.
   */
  | { kind: 'screen_pick'; slots: number[] }
  /** The keypad's clear key: whatever entry is awaited is abandoned. */
  | { kind: 'entry_cancel' }
  /** Compare the slots with the open loans (src/domain/reconciliation.ts). */
  | { kind: 'reconcile' }
  /** The shell saw the wall clock step (src/domain/clock-step.ts); recorded, no timer moves. */
  | { kind: 'clock_stepped'; fromMs: number; toMs: number; deltaMs: number }
  /** A serial reader went away (unplugged, port closed, silent) or came back. */
  | { kind: 'reader'; reader: ReaderName; online: boolean; reason?: string }
  /**
   * A reader reports being tampered with (an OSDP reader's tamper switch, its Secure Channel
   * broken) or, `active` false, its tamper switch normal again.
   */
  | { kind: 'reader_tamper'; reader: ReaderName; active: boolean; reason: string }
  /** The profile's tamper switch became active (true) or returned to normal. */
  | { kind: 'tamper'; active: boolean }
  /** The profile's power-fail input: `failed` true while the supply is lost. */
  | { kind: 'power'; failed: boolean };
