import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import { loadOnoff, OnoffGpioDriver } from '../../drivers/gpio/onoff-gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';
import { acquireCabinetLock, type CabinetLock } from './cabinet-lock.js';
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
  try {
    const gpio = options.gpio ?? (await createGpio(profile, logger));
    const hardware = claimHardware(gpio, profile, logger);
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
    lock.release();
    throw fromDriverError(error, 'PROFILE_INVALID');
  }
}

async function createGpio(profile: HardwareProfile, logger: Logger): Promise<GpioDriver> {
  if (profile.gpio.driver === 'sim') return new SimGpioDriver({ logger });
  const options = { Gpio: await loadOnoff(), logger };
  return new OnoffGpioDriver(
    profile.gpio.chipLabels ? { ...options, chipLabels: profile.gpio.chipLabels } : options,
  );
}

/**
 * Milliseconds since the process started (performance.timeOrigin), rounded down to 0.1 ms: the
 * start-up milestones in the log carry it, and the start-up benchmark reads them.
 */
export function sinceProcessStart(): number {
  return Math.floor(performance.now() * 10) / 10;
}
