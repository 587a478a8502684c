import type { CabinetInput } from './cabinet-inputs.js';
import type { CabinetState } from './cabinet-state.js';
import type { StepContext, StepResult } from './flow/step-core.js';
import { TickStep } from './flow/tick-step.js';
export type { StepContext, StepResult } from './flow/step-core.js';

/**
 * The cabinet flow: one input in, the next state and the effects out. Pure apart from the
 * directory's reads and the clock, both injected. The shell runs effects in order, committing
 * every `record` before any hardware effect of the same step.
 */
export function step(state: CabinetState, input: CabinetInput, ctx: StepContext): StepResult {
  const run = new TickStep(state, ctx);
  // Time has passed whatever the input: lockouts due to end do so first, recorded in order.
  run.endDueLockouts();
  switch (input.kind) {
    case 'badge':
      run.badge(input.card);
      break;
    case 'door':
      run.door(input.open);
      break;
    case 'presence':
      if (run.validSlot(input.slot)) {
        if (input.present) run.present(input.slot);
        else run.absent(input.slot);
      }
      break;
    case 'fob':
      if (run.validSlot(input.slot)) run.fob(input.slot, input.tag);
      break;
    case 'tick':
      run.tick();
      break;
    case 'remote_release':
      run.remoteRelease(input.commandId, input.holderId, input.slot);
      break;
    case 'emergency_start':
      run.emergencyStart(input.source, input.commandId, input.releases);
      break;
    case 'emergency_end':
      run.emergencyEnd(input.source, input.commandId);
      break;
    case 'lockdown_start':
      run.lockdownStart(input.commandId, input.allowHolders, input.allowGroups ?? []);
      break;
    case 'lockdown_end':
      run.lockdownEnd(input.commandId);
      break;
    case 'clear_lockout':
      run.clearLockout(input.actor, input.subject);
      break;
    case 'pin':
      run.pinEntered(input.credentialId, input.outcome);
      break;
    case 'reason_code':
      run.reasonCodeEntered(input.code);
      break;
    case 'entry_cancel':
      if (run.hasPending()) run.abandonPending('entry_cancelled');
      break;
    case 'reconcile':
      run.reconcile();
      break;
    case 'clock_stepped':
      run.clockStepped(input.fromMs, input.toMs);
      break;
    case 'reader':
      run.readerStatus(input.reader, input.online, input.reason);
      break;
    case 'tamper':
      run.tamper(input.active);
      break;
    case 'power':
      run.power(input.failed);
      break;
    default:
      assertNever(input);
  }
  return run.result();
}

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
