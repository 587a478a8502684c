/**
 * The view the daemon sends (GET /api/cabinet/view and the stream), as the page reads it. The
 * pages import nothing outside src/web/ui/, so this is the JSON's shape written again; the
 * route test checks the daemon's view against the same field names, and
 * test/web/cabinet-view-types.test.ts makes tsc fail when this copy and the daemon's differ.
 */
export interface ScreenView {
  stage: 'idle' | 'refused' | 'pin' | 'reason_code' | 'authorisers' | 'session';
  slotCount: number;
  pickKeys: boolean;
  timeZone: string;
  holderName: string | null;
  slots: ScreenSlot[];
  keysOut: ScreenLoan[];
  refusals: string[];
  prompt: ScreenPrompt | null;
  returns: Array<{ text: string; slot: number | null }>;
  relockSeconds: number | null;
  heldOpenSeconds: number | null;
  alarms: Array<{ type: string; text: string }>;
}

export interface ScreenSlot {
  slot: number;
  kind: 'take' | 'offered' | 'waiting' | 'return' | 'move';
  keyLabel: string | null;
}

export interface ScreenLoan {
  keyLabel: string;
  slot: number;
  dueAt: string | null;
  overdue: boolean;
}

export type ScreenPrompt =
  | { kind: 'pin'; secondsLeft: number; typed: number }
  | {
      kind: 'reason_code';
      secondsLeft: number;
      typed: number;
      codes: Array<{ code: string; description: string }>;
    }
  | {
      kind: 'authorisers';
      secondsLeft: number;
      required: number;
      given: number;
      confirming: boolean;
      keys: string[];
    };

export type ScreenInput =
  | { kind: 'digit'; digit: string }
  | { kind: 'clear' }
  | { kind: 'submit' }
  | { kind: 'cancel' }
  | { kind: 'reason'; code: string }
  | { kind: 'pick'; slots: number[] };
