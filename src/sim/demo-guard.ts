import type { HardwareProfile } from '../config/profile.js';
import { KeywardenError } from '../errors.js';

/**
 * The demo's holders have published card numbers and PINs (docs/simulator.md). Seeded into a
 * real cabinet's empty database they would open real doors and slots for anyone who read the
 * docs, so the demo runs only on the simulated cabinet.
 */
export function refuseDemoOnRealGpio(profile: HardwareProfile): void {
  if (profile.gpio.driver === 'sim') return;
  throw new KeywardenError(
    'USAGE',
    `--demo runs only on the simulated cabinet: profile ${profile.model} drives real GPIO ` +
      `(${profile.gpio.driver}), and the demo's published cards would open it. ` +
      'Drop --demo, or use a profile with gpio driver "sim".',
  );
}
