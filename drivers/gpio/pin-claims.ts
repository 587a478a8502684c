import { DriverError } from '../errors.js';
import type { PinSpec } from './gpio.js';

/**
 * The 40-pin header exposes BCM 0-27 on every Raspberry Pi model. Anything else in a pin map is
 * a typo that would otherwise drive some unrelated line of the same chip (or another chip).
 */
export const HEADER_BCM_MAX = 27;

/** Simulated pins are virtual: a simulated cabinet may have more of them than a Pi header. */
export const SIM_BCM_MAX = 63;

/**
 * Bookkeeping shared by the drivers: validates specs and refuses a second claim of the same BCM
 * number or name, so two profile entries can never fight over one pin.
 */
export class PinClaims {
  private readonly byBcm = new Map<number, string>();
  private readonly names = new Set<string>();

  constructor(private readonly maxBcm = HEADER_BCM_MAX) {}

  claim(spec: PinSpec): void {
    const { bcm, name } = spec;
    if (!Number.isInteger(bcm) || bcm < 0 || bcm > this.maxBcm) {
      throw new DriverError(
        'INVALID_SETTING',
        `GPIO pin '${name}': BCM ${bcm} is outside 0-${this.maxBcm}`,
      );
    }
    if (name.trim() === '') {
      throw new DriverError('INVALID_SETTING', `GPIO pin BCM ${bcm} has an empty name`);
    }
    const holder = this.byBcm.get(bcm);
    if (holder !== undefined) {
      throw new DriverError(
        'PIN_CONFLICT',
        `GPIO pin '${name}': BCM ${bcm} is already claimed by '${holder}'`,
      );
    }
    if (this.names.has(name)) {
      throw new DriverError('PIN_CONFLICT', `GPIO pin name '${name}' is already claimed`);
    }
    this.byBcm.set(bcm, name);
    this.names.add(name);
  }

  /** Undoes a claim whose pin could not be set up, so a corrected retry is possible. */
  release(spec: PinSpec): void {
    if (this.byBcm.get(spec.bcm) !== spec.name) return;
    this.byBcm.delete(spec.bcm);
    this.names.delete(spec.name);
  }
}
