import type { NewEvent } from './events.js';

/**
 * `awaiting_entry`: the badge was accepted and a PIN, reason code or authoriser is awaited.
 * `pre_alarm`: one short beep of the countdown before `door.held_open`.
 */
export type Signal =
  'granted' | 'denied' | 'session_ended' | 'alarm' | 'awaiting_entry' | 'pre_alarm';

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
