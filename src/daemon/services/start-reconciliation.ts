import type { FobReader } from '../../../drivers/serial/fob-reader.js';
import type { Logger } from '../../log/logger.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import type { Service } from '../service.js';
import { scheduleStartReconciliation, type StartReconciliation } from '../start-reconciliation.js';

/**
 * The slots compared with the open loans once, at start (src/domain/reconciliation.ts), when the
 * fob reader has reported (start-reconciliation.ts owns the timers). Started just before the
 * readers, so that it hears the fob reader come online; its start hands back when it has run
 * (wrapped: a start's own promise is what the service set waits for).
 */
export function startReconciliationService(options: {
  fobReader: FobReader;
  runner: CabinetRunner;
  logger: Logger;
}): Service<{ finished: Promise<void> }> {
  let scheduled: StartReconciliation | undefined;
  return {
    name: 'start reconciliation',
    start() {
      scheduled = scheduleStartReconciliation({
        fobReader: options.fobReader,
        run: () => {
          const recorded = options.runner.handle({ kind: 'reconcile' });
          options.logger.info(
            { why: 'start', differences: recorded.length },
            'slots reconciled with the loans',
          );
        },
      });
      return { finished: scheduled.finished };
    },
    stop() {
      scheduled?.cancel();
    },
  };
}
