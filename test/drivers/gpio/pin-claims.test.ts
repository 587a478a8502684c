import { describe, expect, it } from 'vitest';
import { PinClaims } from '../../../drivers/gpio/pin-claims.js';
import { isKeywardenError } from '../../../src/errors.js';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    return isKeywardenError(err) ? err.code : 'not a KeywardenError';
  }
  return undefined;
}

describe('PinClaims', () => {
  it('refuses BCM numbers that are not on the header', () => {
    const claims = new PinClaims();
    expect(codeOf(() => claims.claim({ bcm: 28, name: 'x' }))).toBe('PROFILE_INVALID');
    expect(codeOf(() => claims.claim({ bcm: -1, name: 'y' }))).toBe('PROFILE_INVALID');
    expect(codeOf(() => claims.claim({ bcm: 1.5, name: 'z' }))).toBe('PROFILE_INVALID');
  });

  it('refuses a second claim of the same BCM number or name', () => {
    const claims = new PinClaims();
    claims.claim({ bcm: 17, name: 'slot1.solenoid' });
    expect(codeOf(() => claims.claim({ bcm: 17, name: 'other' }))).toBe('CONFLICT');
    expect(codeOf(() => claims.claim({ bcm: 18, name: 'slot1.solenoid' }))).toBe('CONFLICT');
  });

  it('allows a claim again after release', () => {
    const claims = new PinClaims();
    claims.claim({ bcm: 17, name: 'a' });
    claims.release({ bcm: 17, name: 'a' });
    expect(codeOf(() => claims.claim({ bcm: 17, name: 'a' }))).toBeUndefined();
  });
});
