import type { CabinetInput } from './cabinet-inputs.js';
import type { CabinetState } from './cabinet-state.js';
import { badge, cancelEntry, pinEntered, reasonCodeEntered } from './flow/badge-entry.js';
import { door } from './flow/door.js';
import { endDueLockouts } from './flow/lockouts.js';
import { power, readerStatus, readerTamper, tamper } from './flow/readers-tamper-power.js';
import { reconcileSlots } from './flow/reconcile-slots.js';
import { screenPick } from './flow/screen-pick.js';
import {
  clearLockout,
  emergencyEnd,
  emergencyStart,
  lockdownEnd,
  lockdownStart,
  remoteRelease,
} from './flow/remote-commands.js';
import { absent, fob, present } from './flow/slots-and-fobs.js';
import { StepDraft, type StepContext, type StepResult } from './flow/step-draft.js';
import { StepLookups } from './flow/step-lookups.js';
import { clockStepped, tick } from './flow/tick.js';
export type { StepContext, StepResult } from './flow/step-draft.js';

/**
 * The cabinet flow: one input in, the next state and the effects out. Pure apart from the
 * directory's reads and the clock, both injected. The shell runs effects in order, committing
 * every `record` before any hardware effect of the same step.
 *
 * Each input kind goes to the module of its concern (src/domain/flow/), all working on one
 * draft of the step (flow/step-draft.ts); this switch is the only place that knows them all.
 */
export function step(state: CabinetState, input: CabinetInput, ctx: StepContext): StepResult {
  // One step reads one snapshot: its key reads are remembered for the step (step-lookups.ts).
  const draft = new StepDraft(state, { ...ctx, directory: new StepLookups(ctx.directory) });
  // Time has passed whatever the input: lockouts due to end do so first, recorded in order.
  endDueLockouts(draft);
  switch (input.kind) {
    case 'badge':
      badge(draft, input.card);
      break;
    case 'pin':
      pinEntered(draft, input.credentialId, input.outcome);
      break;
    case 'reason_code':
      reasonCodeEntered(draft, input.code);
      break;
    case 'screen_pick':
      screenPick(draft, input.slots);
      break;
    case 'entry_cancel':
      cancelEntry(draft);
      break;
    case 'door':
      door(draft, input.open);
      break;
    case 'presence':
      if (draft.validSlot(input.slot)) {
        if (input.present) present(draft, input.slot);
        else absent(draft, input.slot);
      }
      break;
    case 'fob':
      if (draft.validSlot(input.slot)) fob(draft, input.slot, input.tag);
      break;
    case 'reconcile':
      reconcileSlots(draft);
      break;
    case 'remote_release':
      remoteRelease(draft, input.commandId, input.holderId, input.slot);
      break;
    case 'emergency_start':
      emergencyStart(draft, input.source, input.commandId, input.releases);
      break;
    case 'emergency_end':
      emergencyEnd(draft, input.source, input.commandId);
      break;
    case 'lockdown_start':
      lockdownStart(draft, input.commandId, input.allowHolders, input.allowGroups ?? []);
      break;
    case 'lockdown_end':
      lockdownEnd(draft, input.commandId);
      break;
    case 'clear_lockout':
      clearLockout(draft, input.actor, input.subject);
      break;
    case 'reader':
      readerStatus(draft, input.reader, input.online, input.reason);
      break;
    case 'reader_tamper':
      readerTamper(draft, input.reader, input.active, input.reason);
      break;
    case 'tamper':
      tamper(draft, input.active);
      break;
    case 'power':
      power(draft, input.failed);
      break;
    case 'tick':
      tick(draft);
      break;
    case 'clock_stepped':
      clockStepped(draft, input.fromMs, input.toMs);
      break;
    default:
      assertNever(input);
  }
  return draft.result();
}

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
