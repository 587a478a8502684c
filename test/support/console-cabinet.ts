import type { Database } from 'better-sqlite3';
import type { NewEvent } from '../../src/domain/events.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { ensureSlots } from '../../src/store/slots.js';
import { systemClock } from '../../src/platform/system-clock.js';

/**
 * What happens at the cabinet, recorded in the web harness's database as the daemon records it
 * (the same event log, with its projections): a key taken, an alarm raised or cleared. The
 * console reads these through the application layer like any other record.
 */
export class ConsoleCabinet {
  readonly db: Database;
  private readonly log: EventLog;

  constructor(database: string, slotCount = 8) {
    this.db = openDatabase(database);
    ensureSlots(this.db, slotCount);
    this.log = new EventLog(this.db, 'web-cab', systemClock);
  }

  record(...events: NewEvent[]): number {
    return this.log.append(events).at(-1)?.seq ?? 0;
  }

  /** A key taken from its slot by a holder, due back at `dueAt`. */
  take(
    key: { keyId: number; keyLabel: string; slot: number },
    holder: { holderId: number; holderName: string },
    dueAt: string | null,
  ): number {
    return this.record({ type: 'key.checked_out', data: { ...key, ...holder, dueAt } });
  }

  close(): void {
    this.db.close();
  }
}
