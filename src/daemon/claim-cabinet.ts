import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';
import { acquireCabinetLock, type CabinetLock } from './cabinet-lock.js';
import { createGpio } from './create-gpio.js';
import { fromDriverError } from './driver-errors.js';
import { claimHardware, type CabinetHardware } from './hardware.js';

/** What a daemon owns once it may act for the cabinet: the lock, the pins, outputs off. */
export interface CabinetClaim {
  lock: CabinetLock;
  gpio: GpioDriver;
  hardware: CabinetHardware;
}

export interface ClaimOptions {
  config: KeywardenConfig;
  profile: HardwareProfile;
  logger: Logger;
  /** Injected GPIO (tests, benchmark); otherwise chosen by the profile. */
  gpio?: GpioDriver;
}

/**
 * The first thing a daemon does, in this order: take the cabinet's lock, then claim every pin,
 * driving each output off as it is claimed. The lock comes first so that a second daemon,
 * refused, never touches the outputs of the one that runs; the outputs come before anything
 * slow (the database, MQTT, the serial ports) so that a coil left on by a crash goes off at
 * once. Cheap on purpose: nothing here waits.
 */
export async function claimCabinet(options: ClaimOptions): Promise<CabinetClaim> {
  const { config, profile, logger } = options;
  const lock = acquireCabinetLock(config.database);
  let gpio: GpioDriver | undefined;
  try {
    gpio = options.gpio ?? (await createGpio(profile.gpio, logger));
    const hardware = claimHardware(gpio, profile, logger);
    // The chardev driver's lines are requested by child processes: wait until each is held.
    await gpio.ready?.();
    logger.child({ module: 'daemon' }).info(
      {
        profile: profile.model,
        slots: profile.slotCount,
        sinceStartMs: sinceProcessStart(),
      },
      'outputs claimed and off',
    );
    return { lock, gpio, hardware };
  } catch (error) {
    // Pins claimed before the failure are driven off and released.
    if (gpio !== options.gpio) gpio?.close();
    lock.release();
    throw fromDriverError(error, 'PROFILE_INVALID');
  }
}

/**
 * Milliseconds since the process started (performance.timeOrigin), rounded down to 0.1 ms: the
 * start-up milestones in the log carry it, and the start-up benchmark reads them.
 */
export function sinceProcessStart(): number {
  return Math.floor(performance.now() * 10) / 10;
}
