import { KeywardenError } from '../errors.js';
import type { PinRow } from '../store/custodian/pins.js';
import { verifyPin, type PinPepper } from '../store/pin-hash.js';

const PIN_PATTERN = /^\d{4,12}$/;

export function checkPinFormat(pin: string): void {
  if (!PIN_PATTERN.test(pin)) {
    throw new KeywardenError('USAGE', 'a PIN must be 4 to 12 digits; nothing changed');
  }
}

/**
 * A new PIN (or duress PIN) against the credential's stored ones: the two must differ, or the
 * duress PIN would never be told apart; a duress PIN needs a PIN.
 */
export async function checkNewPin(
  stored: PinRow,
  credentialId: number,
  kind: 'pin' | 'duress',
  pin: string,
  pepper: PinPepper,
): Promise<void> {
  const other = kind === 'pin' ? stored.duress_pin_hash : stored.pin_hash;
  if (kind === 'duress' && other === null) {
    throw new KeywardenError('CONFLICT', `credential ${credentialId} has no PIN yet: set it first`);
  }
  if (other !== null && (await verifyPin(pin, other, pepper))) {
    throw new KeywardenError(
      'USAGE',
      `the ${kind === 'pin' ? 'PIN' : 'duress PIN'} must differ from the ${kind === 'pin' ? 'duress PIN' : 'PIN'}; nothing changed`,
    );
  }
}

/** Every badge asking for a PIN needs one to ask for. */
export function checkPinRequirable(stored: PinRow, credentialId: number, required: boolean): void {
  if (required && stored.pin_hash === null) {
    throw new KeywardenError('CONFLICT', `credential ${credentialId} has no PIN: set one first`);
  }
}
