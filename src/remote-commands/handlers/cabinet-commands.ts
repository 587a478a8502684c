import type { SignedCommand } from '../../contract/signed-command.js';
import type { CabinetInput } from '../../domain/cabinet-inputs.js';
import type { RecordedEvent } from '../../domain/events.js';
import type { CommandArgs } from '../command-args.js';
import type { Accept, CommandServices, Execution, Outcome } from '../command-services.js';

type CabinetCommand = Extract<
  CommandArgs,
  {
    name:
      | 'release'
      | 'emergency_release'
      | 'emergency_release_end'
      | 'lockdown'
      | 'lockdown_end'
      | 'reconcile';
  }
>;

/**
 * Commands that act on the cabinet go through the cabinet flow like a badge does: the flow
 * decides (the holder's permissions, the lockdown), the runner commits the acceptance and the
 * flow's events in one transaction, and only then drives the hardware.
 */
export function runCabinetCommand(
  services: CommandServices,
  command: SignedCommand,
  args: CabinetCommand,
  accept: Accept,
): Execution {
  const { runner, server } = services;
  const persistLockdown = args.name === 'lockdown' || args.name === 'lockdown_end';
  const recorded = runner.handle(inputFor(command.id, args), (next) => {
    const accepted = accept();
    if (persistLockdown) server.saveLockdown(next.lockdown);
    return [accepted];
  });
  if (recorded.length === 0) {
    // The runner could not commit: it locked everything and the command was not accepted.
    return {
      recorded,
      outcome: {
        status: 'failed',
        reason: 'not_recorded',
        message: 'the cabinet could not record the command; nothing was done',
      },
    };
  }
  return { recorded, outcome: outcomeOf(services, command.id, args, recorded) };
}

function inputFor(commandId: string, args: CabinetCommand): CabinetInput {
  switch (args.name) {
    case 'release':
      return { kind: 'remote_release', commandId, holderId: args.holderId, slot: args.slot };
    case 'emergency_release':
      return { kind: 'emergency_start', source: 'command', commandId };
    case 'emergency_release_end':
      return { kind: 'emergency_end', source: 'command', commandId };
    case 'lockdown':
      return {
        kind: 'lockdown_start',
        commandId,
        allowHolders: args.allowHolders,
        allowGroups: args.allowGroups,
      };
    case 'lockdown_end':
      return { kind: 'lockdown_end', commandId };
    case 'reconcile':
      return { kind: 'reconcile' };
    default: {
      const never: never = args;
      throw new Error(`not a cabinet command: ${JSON.stringify(never)}`);
    }
  }
}

function outcomeOf(
  { runner }: CommandServices,
  commandId: string,
  args: CabinetCommand,
  recorded: RecordedEvent[],
): Outcome {
  const state = runner.current;
  switch (args.name) {
    case 'release':
      return releaseOutcome(commandId, recorded);
    case 'emergency_release':
    case 'emergency_release_end':
      return {
        status: 'ok',
        result: { emergency: state.emergency !== null, source: state.emergency?.source ?? null },
      };
    case 'lockdown':
    case 'lockdown_end':
      return {
        status: 'ok',
        result: {
          lockdown: state.lockdown !== null,
          allowHolders: state.lockdown?.allowHolders ?? [],
          allowGroups: state.lockdown?.allowGroups ?? [],
        },
      };
    case 'reconcile':
      return { status: 'ok', result: reconcileCounts(recorded) };
    default: {
      const never: never = args;
      throw new Error(`not a cabinet command: ${JSON.stringify(never)}`);
    }
  }
}

/** What reconciliation found, counted from the events it recorded (the acceptance aside). */
function reconcileCounts(recorded: RecordedEvent[]): {
  returnedUnrecorded: number;
  missing: number;
} {
  const count = (type: string) => recorded.filter((e) => e.type === type).length;
  return { returnedUnrecorded: count('key.returned_unrecorded'), missing: count('key.missing') };
}

/** The flow's own record of the decision is the answer: granted with the slots, or why not. */
function releaseOutcome(commandId: string, recorded: RecordedEvent[]): Outcome {
  for (const event of recorded) {
    const data = event.data as { commandId?: string; slots?: number[]; reason?: string };
    if (data.commandId !== commandId) continue;
    if (event.type === 'access.granted') {
      return { status: 'ok', result: { granted: true, slots: data.slots ?? [] } };
    }
    if (event.type === 'access.denied') {
      return { status: 'ok', result: { granted: false, reason: data.reason ?? null } };
    }
  }
  throw new Error(`the cabinet flow recorded no decision for release ${commandId}`);
}
