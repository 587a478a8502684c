import type { Actor } from '../domain/events.js';
import { systemClock } from '../platform/system-clock.js';
import { openDatabase } from '../store/database.js';
import { EventLog } from '../store/event-log.js';
import { usePinPepper } from '../store/pin-pepper.js';
import { ensureSlots } from '../store/slots.js';
import { CustodianApp } from './custodian-app.js';

export interface OpenedCustodianApp {
  app: CustodianApp;
  /** Closes the database: the app (and its name directory) is not to be used after. */
  close(): void;
}

/**
 * Opens the cabinet's database for an adapter that runs beside the daemon (the CLI, later the
 * web console): the profile's slots made sure of, so a slot number can be checked before the
 * daemon has ever started, and events recorded in the cabinet's name.
 */
export function openCustodianApp(
  cabinet: {
    database: string;
    cabinetId: string;
    slotCount: number;
    /** config `pins.pepperFile`: unset, beside the database. */
    pinPepperFile?: string | undefined;
  },
  actor: Actor,
): OpenedCustodianApp {
  const db = openDatabase(cabinet.database);
  ensureSlots(db, cabinet.slotCount);
  usePinPepper(db, cabinet.database, cabinet.pinPepperFile);
  const log = new EventLog(db, cabinet.cabinetId, systemClock);
  return { app: CustodianApp.open(db, log, actor), close: () => db.close() };
}
