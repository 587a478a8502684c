import type { WebModule } from '../create-web-server.js';
import type { ClientFor } from '../web-context.js';
import { csvImportModule } from './csv-import.js';
import { eventLogModule } from './event-log.js';
import { groupsAndSetsModule } from './groups-and-sets.js';
import { keysAndRulesModule } from './keys-and-rules.js';
import type { PolicyValues } from './policy-settings.js';
import { reasonCodesModule } from './reason-codes.js';
import { reportsModule } from './reports.js';
import { schedulesAndAccessModule } from './schedules-and-access.js';

/**
 * The console's API for its keys and rules, records, reports and CSV import pages: what
 * `keywarden web` (and the demo daemon) give createWebServer beside the console's other modules.
 */
export function keysAndRecordsModules(
  clientFor: ClientFor,
  options: { cabinetId: string; policy: PolicyValues },
): WebModule[] {
  return [
    keysAndRulesModule(clientFor, { policy: options.policy }),
    eventLogModule(clientFor),
    reportsModule(clientFor, { cabinetId: options.cabinetId }),
    csvImportModule(clientFor),
    // The groups, key sets and reason codes page.
    groupsAndSetsModule(clientFor),
    reasonCodesModule(clientFor),
    schedulesAndAccessModule(clientFor),
  ];
}
