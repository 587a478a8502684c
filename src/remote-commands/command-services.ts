import type { Database } from 'better-sqlite3';
import type { CabinetRunner } from '../daemon/cabinet-runner.js';
import type { RecordingClock } from '../domain/clock.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';
import type { EventLog } from '../store/event-log.js';

/** What the command handlers act on: the daemon's own store, cabinet and MQTT states. */
export interface CommandServices {
  db: Database;
  log: EventLog;
  runner: CabinetRunner;
  clock: RecordingClock;
  version: string;
  slotCount: number;
  /** The outbox publisher: told when events were put back in the outbox (replay). */
  outbox: { notify(): void };
  retained: { invalidate(topic: string): void; refresh(): void };
  inventoryTopic: string;
}

export type Outcome =
  | { status: 'ok'; result: Record<string, unknown> }
  | { status: 'failed'; reason: string; message: string; problems?: string[] };

export interface Execution {
  outcome: Outcome;
  /** Everything the command recorded, `command.accepted` first; empty if nothing committed. */
  recorded: RecordedEvent[];
}

/**
 * Accepts the command: advances its key's counter, remembers its id, and returns the
 * `command.accepted` event to record first. Only ever called inside the transaction that
 * records what the command did, so both commit together or neither does.
 */
export type Accept = () => NewEvent;
