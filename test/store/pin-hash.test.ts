import { describe, expect, it } from 'vitest';
import { checkPin, hashPin, verifyPin } from '../../src/store/pin-hash.js';

// A low cost keeps the test quick; the cost is stored with each hash, so verifying reads it.
const CHEAP = { N: 1_024, r: 8, p: 1 };

describe('PIN hashes', () => {
  it('verify the PIN they were made from and nothing else', async () => {
    const stored = await hashPin('4711', CHEAP);
    expect(await verifyPin('4711', stored)).toBe(true);
    expect(await verifyPin('4712', stored)).toBe(false);
    expect(await verifyPin('', stored)).toBe(false);
  });

  it('are salted: the same PIN twice gives two different hashes, and neither contains it', async () => {
    const a = await hashPin('4711', CHEAP);
    const b = await hashPin('4711', CHEAP);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toContain('4711');
  });

  it('use the default cost when none is given', async () => {
    const stored = await hashPin('4711');
    expect(stored.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPin('4711', stored)).toBe(true);
  });

  it.each(['', 'plain4711', 'scrypt$0$8$1$AAAA$AAAA', 'scrypt$1024$8$1$AAAA$AAAA', 'bcrypt$x'])(
    'refuse a malformed stored value %j rather than throw',
    async (stored) => {
      expect(await verifyPin('4711', stored)).toBe(false);
    },
  );

  it('tell a duress PIN from the normal one, and a wrong one from both', async () => {
    const hashes = { pin: await hashPin('1234', CHEAP), duress: await hashPin('1235', CHEAP) };
    expect(await checkPin('1234', hashes)).toBe('ok');
    expect(await checkPin('1235', hashes)).toBe('duress');
    expect(await checkPin('9999', hashes)).toBe('wrong');
    expect(await checkPin('1235', { pin: hashes.pin, duress: null })).toBe('wrong');
  });
});
