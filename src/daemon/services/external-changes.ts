import type { Logger } from '../../log/logger.js';
import type { Database } from '../../store/database.js';
import type { CustodianRequests } from '../custodian-requests.js';
import { every } from '../periodic-job.js';
import type { Service } from '../service.js';

/** How often another process's writes (the custodian CLI) are looked for. */
export const EXTERNAL_POLL_MS = 250;

/**
 * Writes by another process on the same database (the custodian's command line): its requests
 * carried out (custodian-requests.ts) and the events it recorded published. SQLite's
 * `data_version` changes only for another connection's commits, so an idle poll costs one pragma.
 */
export function externalChangesService(options: {
  db: Database;
  requests: CustodianRequests;
  /** Events were recorded elsewhere: publish them and refresh the retained states. */
  recordedElsewhere: () => void;
  logger: Logger;
}): Service {
  let lastDataVersion = -1;
  let stopPolling: (() => void) | undefined;
  const poll = () => {
    const version = options.db.pragma('data_version', { simple: true }) as number;
    if (version === lastDataVersion) return;
    lastDataVersion = version;
    // A custodian's request is a write by another process: looked for only when one came.
    options.requests.tick();
    options.recordedElsewhere();
  };
  return {
    name: 'external changes',
    start() {
      stopPolling = every(EXTERNAL_POLL_MS, 'external writes', poll, options.logger);
    },
    stop() {
      stopPolling?.();
    },
  };
}
