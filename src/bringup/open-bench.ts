import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import type { PortFactory } from '../../drivers/serial/serial-port-like.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import { claimCabinet } from '../daemon/claim-cabinet.js';
import { createReaders } from '../daemon/readers.js';
import type { Logger } from '../log/logger.js';
import type { BenchCabinet } from './selftest.js';

export interface OpenBench {
  bench: BenchCabinet;
  /** Every output off, the readers' ports closed, the pins and the cabinet's lock let go. */
  close(): Promise<void>;
  /** Every output off at once: for a signal handler, before anything else. */
  allOff(): void;
}

/**
 * The cabinet on the bench, claimed as the daemon claims it: the cabinet's lock first (so the
 * self test refuses to run beside a daemon, whose coils it would fight over), then every pin
 * with its output driven off, then the readers. Throws CABINET_IN_USE while a daemon runs.
 */
export async function openBench(options: {
  config: KeywardenConfig;
  profile: HardwareProfile;
  logger: Logger;
  portFactory: PortFactory;
  gpio?: GpioDriver;
}): Promise<OpenBench> {
  const { config, profile, logger, portFactory } = options;
  const claim = await claimCabinet(
    options.gpio ? { config, profile, logger, gpio: options.gpio } : { config, profile, logger },
  );
  const { hardware } = claim;
  let readers;
  try {
    readers = createReaders(profile, config, portFactory, logger);
  } catch (error) {
    hardware.allOff();
    claim.gpio.close();
    claim.lock.release();
    throw error;
  }
  readers.start();
  const { outputs } = hardware;
  return {
    bench: {
      solenoids: outputs.solenoids,
      keyPresent: hardware.keyPresent,
      doorLock: outputs.doorLock,
      doorSensor: hardware.doorSensor,
      indicators: { green: outputs.green, red: outputs.red, buzzer: outputs.buzzer },
      badge: readers.badge,
      fob: readers.fob,
    },
    allOff: () => {
      outputs.solenoids.lockAll();
      hardware.allOff();
    },
    async close() {
      outputs.solenoids.lockAll();
      hardware.allOff();
      try {
        await readers.stop();
      } finally {
        claim.gpio.close();
        claim.lock.release();
      }
    },
  };
}
