import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PinOutcome } from '../domain/pin.js';

/**
 * PINs are stored only as salted scrypt hashes, in one self-describing string so that the cost
 * can be raised later without breaking the hashes already stored:
 *
 *   scrypt-hmac$<N>$<r>$<p>$<salt, base64>$<hash, base64>
 *
 * A PIN has few digits, so a stolen database could be searched exhaustively whatever the hash
 * (10^4 four-digit PINs at N=2^14 took minutes on one core). So the PIN is first keyed with a
 * secret pepper kept outside the database (src/store/pin-pepper.ts): HMAC-SHA256(pepper, PIN)
 * is what scrypt hashes. Without the pepper file the database's hashes cannot be searched at
 * all; with it, the slow hash still makes each guess cost and the salt makes every PIN a
 * separate search.
 *
 * `scrypt$…` (no pepper) is the earlier format, still verified: hashes stored before the
 * pepper, and those the central server sends in a `sync` (it does not hold the cabinet's
 * pepper), which must therefore cost at least `MIN_SYNCED_SCRYPT_N`
 * (src/domain/policy/loan-tier-pin-checks.ts). `keywarden pin set` stores the peppered form.
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

/** The secret mixed into every PIN before hashing; null where none is configured (tests). */
export type PinPepper = Buffer | null;

const PEPPERED = 'scrypt-hmac';
const PLAIN = 'scrypt';

function derive(pin: string, pepper: PinPepper, salt: Buffer, cost: PinHashCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses above 32 MiB unless told.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  const normal = pin.normalize('NFC');
  const password = pepper ? createHmac('sha256', pepper).update(normal).digest() : normal;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The PIN's hash, peppered when a pepper is given (the daemon and the CLI always give one). */
export async function hashPin(
  pin: string,
  cost: PinHashCost = DEFAULT_PIN_COST,
  pepper: PinPepper = null,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(pin, pepper, salt, cost);
  const scheme = pepper ? PEPPERED : PLAIN;
  return [scheme, cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join(
    '$',
  );
}

interface Parsed {
  peppered: boolean;
  cost: PinHashCost;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== PLAIN && scheme !== PEPPERED) return null;
  if (rest.length > 0 || salt === undefined || hash === undefined) return null;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  const peppered = scheme === PEPPERED;
  return { peppered, cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/**
 * Whether `pin` matches the stored hash; false too for a malformed stored value, and for a
 * peppered hash when no pepper (or another one) is given.
 */
export async function verifyPin(
  pin: string,
  stored: string,
  pepper: PinPepper = null,
): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length !== KEY_LENGTH) return false;
  if (parsed.peppered && !pepper) return false;
  const candidate = await derive(pin, parsed.peppered ? pepper : null, parsed.salt, parsed.cost);
  // Constant time: how many leading bytes matched must not leak through the timing.
  return timingSafeEqual(candidate, parsed.hash);
}

/**
 * The shell's check of an entered PIN against a credential's PIN and duress PIN. Both hashes
 * are always computed, so the time taken does not tell a duress PIN from the normal one.
 */
export async function checkPin(
  pin: string,
  hashes: { pin: string; duress: string | null; pepper?: PinPepper },
): Promise<PinOutcome> {
  const pepper = hashes.pepper ?? null;
  const [ok, duress] = await Promise.all([
    verifyPin(pin, hashes.pin, pepper),
    hashes.duress === null ? Promise.resolve(false) : verifyPin(pin, hashes.duress, pepper),
  ]);
  if (duress) return 'duress';
  return ok ? 'ok' : 'wrong';
}
