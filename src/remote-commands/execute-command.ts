import type { SignedCommand } from '../contract/signed-command.js';
import type { CommandArgs } from './command-args.js';
import type { Accept, CommandServices, Execution } from './command-services.js';
import { runCabinetCommand } from './handlers/cabinet-commands.js';
import { runInventory } from './handlers/inventory.js';
import { runPing } from './handlers/ping.js';
import { runReplay } from './handlers/replay.js';
import { runSync } from './handlers/sync.js';

/** Runs a verified command. Every handler calls `accept` inside its own transaction. */
export function executeCommand(
  services: CommandServices,
  command: SignedCommand,
  args: CommandArgs,
  accept: Accept,
): Execution {
  switch (args.name) {
    case 'ping':
      return runPing(services, accept);
    case 'replay':
      return runReplay(services, args.fromSeq, accept);
    case 'sync':
      return runSync(services, command.id, args.payload, accept);
    case 'inventory':
      return runInventory(services, accept);
    case 'release':
    case 'emergency_release':
    case 'emergency_release_end':
    case 'lockdown':
    case 'lockdown_end':
    case 'reconcile':
      return runCabinetCommand(services, command, args, accept);
    default: {
      const never: never = args;
      throw new Error(`unhandled command ${JSON.stringify(never)}`);
    }
  }
}
