import type { KeywardenConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { sinceProcessStart } from '../claim-cabinet.js';
import type { ServiceManagerLink } from '../service-manager.js';
import type { Service } from '../service.js';

/**
 * What the service manager hears: `READY=1` (with the watchdog armed) when every other service
 * has started and the start reconciliation has run, `STOPPING=1` first thing on the way down.
 */
export function readinessService(options: {
  systemd: ServiceManagerLink;
  config: KeywardenConfig;
  logger: Logger;
}): Service {
  const { systemd, config, logger } = options;
  return {
    name: 'service manager',
    start() {
      logger.info(
        {
          cabinetId: config.cabinetId,
          database: config.database,
          sinceStartMs: sinceProcessStart(),
        },
        'cabinet ready',
      );
      systemd.ready();
    },
    // Not awaited: a slow service manager must not delay the outputs going off.
    stop: () => void systemd.stopping(),
  };
}
