import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PinOutcome } from '../domain/pin.js';

/**
 * PINs are stored only as salted scrypt hashes, in one self-describing string so that the cost
 * can be raised later without breaking the hashes already stored:
 *
 *   scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>
 *
 * A PIN has few digits, so a stolen database could be searched exhaustively whatever the hash;
 * the slow hash makes each guess cost, and the per-PIN salt makes every PIN a separate search.
 */
export interface PinHashCost {
  N: number;
  r: number;
  p: number;
}

/** About 50 ms on a Raspberry Pi 4 and 16 MiB of memory: slow for a thief, quick at the cabinet. */
export const DEFAULT_PIN_COST: PinHashCost = { N: 16_384, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(pin: string, salt: Buffer, cost: PinHashCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses above 32 MiB unless told.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPin(pin: string, cost: PinHashCost = DEFAULT_PIN_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(pin, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join(
    '$',
  );
}

interface Parsed {
  cost: PinHashCost;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || salt === undefined || hash === undefined)
    return null;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  return { cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/** Whether `pin` matches the stored hash; false too for a malformed stored value. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length !== KEY_LENGTH) return false;
  const candidate = await derive(pin, parsed.salt, parsed.cost);
  // Constant time: how many leading bytes matched must not leak through the timing.
  return timingSafeEqual(candidate, parsed.hash);
}

/**
 * The shell's check of an entered PIN against a credential's PIN and duress PIN. Both hashes
 * are always computed, so the time taken does not tell a duress PIN from the normal one.
 */
export async function checkPin(
  pin: string,
  hashes: { pin: string; duress: string | null },
): Promise<PinOutcome> {
  const [ok, duress] = await Promise.all([
    verifyPin(pin, hashes.pin),
    hashes.duress === null ? Promise.resolve(false) : verifyPin(pin, hashes.duress),
  ]);
  if (duress) return 'duress';
  return ok ? 'ok' : 'wrong';
}
