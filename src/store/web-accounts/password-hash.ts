import { hashPin, verifyPin, type PinHashCost } from '../pin-hash.js';

/**
 * Web passwords are hashed as PINs are (src/store/pin-hash.ts: salted scrypt, NFC-normalised,
 * compared in constant time, in a string that records its cost, `scrypt$N$r$p$salt$hash`), at a
 * higher cost: a password is typed once per session, not at every badge.
 *
 * N = 2^16, r = 8, p = 1: 64 MiB of memory and about 0.2 s per hash on one core of the build
 * machine (a Raspberry Pi 4 is slower); a GPU or a botnet guessing at a stolen file must pay the
 * same memory per guess. OWASP's floor for scrypt is 2^17 at r = 8: raise `N` here as Pis get
 * faster; a stored hash keeps the cost it was made with and is re-hashed at the next sign-in.
 */
export const WEB_PASSWORD_COST: PinHashCost = { N: 65_536, r: 8, p: 1 };

export function hashPassword(password: string, cost = WEB_PASSWORD_COST): Promise<string> {
  return hashPin(password, cost);
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  return verifyPin(password, stored);
}

/** True when the stored hash was made at a lower cost than today's (or cannot be read). */
export function needsRehash(stored: string, cost = WEB_PASSWORD_COST): boolean {
  const [scheme, n, r, p] = stored.split('$');
  if (scheme !== 'scrypt') return true;
  return Number(n) < cost.N || Number(r) < cost.r || Number(p) < cost.p;
}
