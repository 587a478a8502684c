import { CustodianApp } from '../../app/custodian-app.js';
import { openDatabase, type Database } from '../../store/database.js';
import { EventLog } from '../../store/event-log.js';
import { refuseDemoOnRealGpio } from '../../sim/demo-guard.js';
import { usePinPepper } from '../../store/pin-pepper.js';
import { ensureSlots } from '../../store/slots.js';
import { sinceProcessStart } from '../claim-cabinet.js';
import type { DaemonContext } from '../daemon-context.js';
import { DEMO_ACTOR, demoCardsFor, seedDemo } from '../demo-data.js';
import type { Service } from '../service.js';

/** The open database and the append-only event log in it. */
export interface CabinetStore {
  db: Database;
  eventLog: EventLog;
}

/**
 * The database, opened (and migrated) once the outputs are off, before anything that records;
 * closed after everything that reads or writes it has stopped.
 */
export function cabinetDatabaseService(
  context: DaemonContext,
  /** Seed demo holders and keys into an empty database (npm start). */
  demo: boolean,
): Service<CabinetStore> {
  const { config, profile, clock } = context;
  const logger = context.logger.child({ module: 'daemon' });
  let db: Database | undefined;
  return {
    name: 'database',
    start() {
      const opened = openDatabase(config.database);
      logger.info(
        { database: config.database, sinceStartMs: sinceProcessStart() },
        'database open',
      );
      try {
        ensureSlots(opened, profile.slotCount);
        usePinPepper(opened, config.database, config.pins.pepperFile);
        const eventLog = new EventLog(opened, config.cabinetId, clock);
        if (demo) {
          // Also here, where the cards are seeded, for whoever builds a Daemon without `run`.
          refuseDemoOnRealGpio(profile);
          const app = CustodianApp.open(opened, eventLog, DEMO_ACTOR);
          if (seedDemo(opened, app, demoCardsFor(profile)))
            logger.info('demo holders and keys seeded');
        }
        db = opened;
        return { db, eventLog };
      } catch (err) {
        // Not started, so never stopped: closed here.
        opened.close();
        throw err;
      }
    },
    stop() {
      db?.close();
    },
  };
}
