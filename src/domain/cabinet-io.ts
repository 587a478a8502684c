import type { NewEvent } from './events.js';

/** What the shell feeds the cabinet flow: driver events and timer ticks. */
export type CabinetInput =
  | { kind: 'badge'; card: string }
  | { kind: 'door'; open: boolean }
  | { kind: 'presence'; slot: number; present: boolean }
  | { kind: 'fob'; slot: number; tag: string | null }
  | { kind: 'tick' };

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
