import { claimCabinet, type CabinetClaim, type ClaimOptions } from '../claim-cabinet.js';
import type { Service } from '../service.js';

/**
 * The cabinet's lock and every output, claimed and off: the first service to start and the last
 * to stop. Closing the GPIO drives every output off once more; the lock goes last, because until
 * then another daemon must not take the cabinet over.
 */
export function cabinetClaimService(
  options: ClaimOptions & {
    /** Already claimed (`keywarden run` claims before loading the rest of the daemon). */
    claim?: CabinetClaim;
    /** Told as soon as the outputs are held, for the crash handler's fail-safe. */
    claimed: (claim: CabinetClaim) => void;
  },
): Service<CabinetClaim> {
  let held: CabinetClaim | undefined;
  return {
    name: 'cabinet claim',
    async start() {
      held = options.claim ?? (await claimCabinet(options));
      options.claimed(held);
      return held;
    },
    stop() {
      if (!held) return;
      const { gpio, lock } = held;
      try {
        gpio.close();
      } finally {
        lock.release();
      }
    },
  };
}
