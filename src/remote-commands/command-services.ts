import type { CentralServerOperations } from '../app/central-server.js';
import type { CabinetInput } from '../domain/cabinet-inputs.js';
import type { CabinetState } from '../domain/cabinet-state.js';
import type { RecordingClock } from '../domain/clock.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';

export type { Accept } from '../app/central-server.js';

/**
 * The cabinet flow as a command reaches it (the daemon's CabinetRunner is one): a command that
 * acts on the cabinet is an input like a badge, decided by the flow; `inTransaction` records
 * the command's own records in the same transaction as the flow's events.
 */
export interface CommandRunner {
  readonly current: CabinetState;
  handle(input: CabinetInput, inTransaction?: (next: CabinetState) => NewEvent[]): RecordedEvent[];
}

/** MQTT states the handlers refresh after a command. */
export interface CommandOutlets {
  /** The outbox publisher: told when events were put back in the outbox (replay). */
  outbox: { notify(): void };
  retained: { invalidate(topic: string): void; refresh(): void };
  inventoryTopic: string;
}

/** What the command handlers act on: the central server's operations, the cabinet, MQTT. */
export interface CommandServices extends CommandOutlets {
  server: CentralServerOperations;
  runner: CommandRunner;
  clock: RecordingClock;
  version: string;
  slotCount: number;
}

export type Outcome =
  | { status: 'ok'; result: Record<string, unknown> }
  | { status: 'failed'; reason: string; message: string; problems?: string[] };

export interface Execution {
  outcome: Outcome;
  /** Everything the command recorded, `command.accepted` first; empty if nothing committed. */
  recorded: RecordedEvent[];
}
