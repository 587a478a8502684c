/**
 * Field checks for what migration 006 added to the permission set: loan limits, keys-out
 * limits, curfews, PIN hashes and reason codes. Each returns what is wrong, or undefined.
 * None of them puts the value in its message: a PIN hash is a secret (a short PIN can be
 * searched for from its hash), and problems travel back to the central server and into logs.
 */

/** A loan limit in minutes: a whole number above 0, or null for none. */
export function loanMinutesOrNull(value: unknown): string | undefined {
  if (value === null) return undefined;
  return Number.isSafeInteger(value) && (value as number) > 0
    ? undefined
    : 'must be a whole number of minutes above 0, or null';
}

/** How many keys a holder may have out at once: 0 or more, or null for the configured default. */
export function keysOutOrNull(value: unknown): string | undefined {
  if (value === null) return undefined;
  return Number.isSafeInteger(value) && (value as number) >= 0
    ? undefined
    : 'must be a whole number 0 or more, or null';
}

/** A curfew: the local minute of the day (0–1439) by which the key is due, or null. */
export function curfewMinuteOrNull(value: unknown): string | undefined {
  if (value === null) return undefined;
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 1439
    ? undefined
    : 'must be a minute of the day 0 to 1439, or null';
}

export function authoriserCount(value: unknown): string | undefined {
  return value === 0 || value === 1 || value === 2 ? undefined : 'must be 0, 1 or 2';
}

const REASON_CODE = /^[0-9]{1,6}$/;

export function reasonCode(value: unknown): string | undefined {
  return typeof value === 'string' && REASON_CODE.test(value)
    ? undefined
    : 'must be 1 to 6 decimal digits';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** src/store/pin-hash.ts derives 32-byte hashes; a hash of another length never matches. */
const HASH_BYTES = 32;
const MIN_SALT_BYTES = 8;
/**
 * The largest cost accepted: scrypt needs 128·N·r bytes, and a hash the cabinet cannot afford
 * to check (a Raspberry Pi, at every badge) would lock its holder out or stall the daemon.
 */
const MAX_SCRYPT_BYTES = 64 * 1024 * 1024;
const MAX_PARALLEL = 16;
/**
 * The least cost accepted from the central server. Its hashes carry no pepper (it does not
 * hold the cabinet's), so their cost is all that stands between a copy of the database and the
 * PINs: 10^4 four-digit PINs at N=2^14 fell in minutes on one core, and at N=2 at once.
 */
export const MIN_SYNCED_SCRYPT_N = 2 ** 15;

const PIN_HASH_SHAPE =
  'must be a PIN hash scrypt$N$r$p$salt$hash (N a power of two, salt and a 32-byte hash in ' +
  'base64, at most 64 MiB of scrypt memory), or null';
const PIN_HASH_TOO_CHEAP =
  `must cost at least N=${MIN_SYNCED_SCRYPT_N} (2^15): a cheaper hash of a short PIN is ` +
  'searched in minutes by whoever copies the database';

/**
 * A PIN hash in our self-describing format (src/store/pin-hash.ts), or null for no PIN. Only the
 * shape is checked: whether it is the hash of any particular PIN cannot be, by design.
 */
export function pinHashOrNull(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'string' || !wellFormedPinHash(value)) return PIN_HASH_SHAPE;
  return Number(value.split('$')[1]) >= MIN_SYNCED_SCRYPT_N ? undefined : PIN_HASH_TOO_CHEAP;
}

function wellFormedPinHash(value: string): boolean {
  const parts = value.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts
    .slice(1, 4)
    .map((part) => (/^[1-9][0-9]{0,9}$/.test(part) ? Number(part) : NaN));
  const [salt, hash] = parts.slice(4) as [string, string];
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(r) || !Number.isSafeInteger(p))
    return false;
  const N = n as number;
  // The memory bound first: it keeps N small enough for the bitwise power-of-two test.
  if (128 * N * (r as number) > MAX_SCRYPT_BYTES || (p as number) > MAX_PARALLEL) return false;
  if (N < 2 || (N & (N - 1)) !== 0) return false;
  return base64Bytes(salt) >= MIN_SALT_BYTES && base64Bytes(hash) === HASH_BYTES;
}

/** The length of what a base64 text decodes to, or -1 when it is not base64. */
function base64Bytes(text: string): number {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return -1;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
