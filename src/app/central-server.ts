import type { Database } from 'better-sqlite3';
import type { SignedCommand } from '../contract/signed-command.js';
import type { Lockdown } from '../domain/cabinet-state.js';
import type { NewEvent, RecordedEvent } from '../domain/events.js';
import { CommandLedger } from '../store/command-ledger.js';
import type { EventLog } from '../store/event-log.js';
import { saveLockdown } from '../store/lockdown-state.js';
import { applyPermissionSync, type SyncResult } from '../store/permission-sync.js';

/** The daemon's own store handles, which the central server's operations write through. */
export interface CabinetRecords {
  db: Database;
  log: EventLog;
}

/**
 * Records the command's acceptance (advances its key's counter, remembers its id) and returns
 * the `command.accepted` event to record first. Only ever called inside the transaction of the
 * operation the command asked for, so both commit together or neither does.
 */
export type Accept = () => NewEvent;

type RejectionData = Extract<NewEvent, { type: 'command.rejected' }>['data'];

export interface SyncOutcome {
  /** What committed: `command.accepted`, and `permissions.synced` when the set applied. */
  recorded: RecordedEvent[];
  result: SyncResult;
}

export interface ReplayOutcome {
  recorded: RecordedEvent[];
  requeued: number;
  /** Where the log now starts, and where it ends. */
  firstAvailable: number;
  lastSeq: number;
}

/**
 * The application layer for the central server: every change its signed commands make to the
 * cabinet's records, each in one transaction with the command's acceptance. The MQTT command
 * intake (src/remote-commands) verifies, calls one of these, and replies; what goes through
 * the cabinet flow (release, emergency, lockdown) goes through the daemon's runner instead,
 * with `saveLockdown` inside the runner's transaction.
 */
export class CentralServerOperations {
  private readonly ledger: CommandLedger;

  constructor(
    private readonly records: CabinetRecords,
    private readonly wallMs: () => number,
  ) {
    this.ledger = new CommandLedger(records.db);
  }

  /** The last counter accepted from this signing key; 0 when none was. */
  lastCounter(keyId: string): number {
    return this.ledger.lastCounter(keyId);
  }

  wasExecuted(commandId: string): boolean {
    return this.ledger.wasExecuted(commandId);
  }

  /** The acceptance of this command, to run inside the transaction of what it does. */
  acceptance(command: SignedCommand): Accept {
    return () => {
      this.ledger.accept(command, this.wallMs());
      const { id: commandId, name, keyId, counter } = command;
      return { type: 'command.accepted', data: { commandId, name, keyId, counter } };
    };
  }

  /** A refused command's trace, or the count of a window's refusals of one kind. */
  recordRejection(rejection: RejectionData): void {
    this.records.log.append([{ type: 'command.rejected', data: rejection }]);
  }

  /** A command that changes no records (ping, inventory): its acceptance alone. */
  acknowledge(accept: Accept): RecordedEvent[] {
    const { log } = this.records;
    return log.transaction(() => log.appendInTransaction([accept()]));
  }

  /** Puts every event from `fromSeq` back in the outbox, with the command's acceptance. */
  replay(fromSeq: number, accept: Accept): ReplayOutcome {
    const { log } = this.records;
    return log.transaction(() => {
      const recorded = log.appendInTransaction([accept()]);
      const requeued = log.requeueFrom(fromSeq);
      return { recorded, requeued, firstAvailable: log.firstSeq(), lastSeq: log.lastSeq() };
    });
  }

  /**
   * Applies a permission set or delta. The command is accepted whether or not the set applies:
   * a stale, mismatched or invalid set is the server's to fix, not a command to send again
   * unchanged. The set, its `permissions.synced` event and the acceptance commit together; a
   * refused set rolls back alone (a savepoint inside the command's transaction).
   */
  applySync(
    commandId: string,
    payload: Record<string, unknown>,
    slotCount: number,
    accept: Accept,
  ): SyncOutcome {
    const { db, log } = this.records;
    let synced: RecordedEvent[] = [];
    const { accepted, result } = log.transaction(() => {
      const accepted = log.appendInTransaction([accept()]);
      const result = applyPermissionSync(db, payload, {
        slotCount,
        now: () => new Date(this.wallMs()),
        inTransaction: ({ version, previousVersion, counts }) => {
          synced = log.appendInTransaction([
            { type: 'permissions.synced', data: { commandId, version, previousVersion, counts } },
          ]);
        },
      });
      return { accepted, result };
    });
    return { recorded: result.ok ? [...accepted, ...synced] : accepted, result };
  }

  /** Keeps the lockdown the flow decided; call in the transaction that records it. */
  saveLockdown(lockdown: Lockdown | null): void {
    saveLockdown(this.records.db, lockdown, this.wallMs());
  }

  /** How far the log is: the last event's sequence number. */
  lastSeq(): number {
    return this.records.log.lastSeq();
  }
}
