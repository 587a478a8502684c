import { describe, expect, it } from 'vitest';
import { PinClaims } from '../../../drivers/gpio/pin-claims.js';
import { isDriverError } from '../../../drivers/errors.js';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    return isDriverError(err) ? err.code : 'not a DriverError';
  }
  return undefined;
}

describe('PinClaims', () => {
  it('refuses BCM numbers that are not on the header', () => {
    const claims = new PinClaims();
    expect(codeOf(() => claims.claim({ bcm: 28, name: 'x' }))).toBe('INVALID_SETTING');
    expect(codeOf(() => claims.claim({ bcm: -1, name: 'y' }))).toBe('INVALID_SETTING');
    expect(codeOf(() => claims.claim({ bcm: 1.5, name: 'z' }))).toBe('INVALID_SETTING');
  });

  it('refuses a second claim of the same BCM number or name', () => {
    const claims = new PinClaims();
    claims.claim({ bcm: 17, name: 'slot1.solenoid' });
    expect(codeOf(() => claims.claim({ bcm: 17, name: 'other' }))).toBe('PIN_CONFLICT');
    expect(codeOf(() => claims.claim({ bcm: 18, name: 'slot1.solenoid' }))).toBe('PIN_CONFLICT');
  });

  it('allows a claim again after release', () => {
    const claims = new PinClaims();
    claims.claim({ bcm: 17, name: 'a' });
    claims.release({ bcm: 17, name: 'a' });
    expect(codeOf(() => claims.claim({ bcm: 17, name: 'a' }))).toBeUndefined();
  });
});
