import { CustodianApp } from '../../src/app/custodian-app.js';
import { ensureSlots } from '../../src/store/slots.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { systemClock } from '../../src/platform/system-clock.js';

export const ALICE = '100086F444';

/** Alice may take slots 1 and 2; keys K-1 and K-2 live there. Written as a custodian would. */
export function seedCabinet(database: string, cabinetId: string, slotCount = 12): void {
  const db = openDatabase(database);
  try {
    ensureSlots(db, slotCount);
    const app = CustodianApp.open(db, new EventLog(db, cabinetId, systemClock), {
      kind: 'custodian',
      account: 'test',
    });
    const alice = app.holders.add('Alice');
    app.credentials.add(alice, ALICE);
    app.keys.add('A000000001', 1, 'K-1');
    app.keys.add('A000000002', 2, 'K-2');
    app.permissions.grant(alice, 1);
    app.permissions.grant(alice, 2);
  } finally {
    db.close();
  }
}
