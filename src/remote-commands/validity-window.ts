import { rejection, type Readable, type Rejection } from './rejection.js';

export interface ValidityLimits {
  /** Wall time now (ms). */
  nowMs: number;
  /** How far ahead of this cabinet's clock `issuedAt` may be (clocks differ a little). */
  maxSkewMs: number;
  /** The longest `expiresAt − issuedAt` the cabinet accepts. */
  maxValidityMs: number;
}

/**
 * The time checks of a command (docs/mqtt.md, "Checks, in order"): they need nothing but the
 * envelope and the clock, so they run before the signature, and a message that fails them never
 * costs a canonical encoding or a verification. Bounding the window is what makes a signed
 * command perishable: without it, a command issued in 2000 and expiring in 2099, once captured,
 * could be replayed to any cabinet whose counter it still beats. With the window bounded, a
 * command issued longer ago than the limit is refused whatever its `expiresAt`: as `malformed`
 * if that is further than the limit from `issuedAt`, else as `expired`. An `issuedAt` in the
 * future beyond the skew is `not_yet_valid`.
 */
export function validityProblem(
  issuedAt: string,
  expiresAt: string,
  readable: Readable,
  limits: ValidityLimits,
): { ok: false; rejection: Rejection } | undefined {
  const { nowMs, maxSkewMs, maxValidityMs } = limits;
  const issuedMs = Date.parse(issuedAt);
  const expiresMs = Date.parse(expiresAt);
  const here = new Date(nowMs).toISOString();
  const limit = `commands.maxValiditySeconds (${maxValidityMs / 1000} s)`;
  if (expiresMs - issuedMs > maxValidityMs) {
    return rejection(
      'malformed',
      `the command is valid from ${issuedAt} to ${expiresAt}, longer than this cabinet's ${limit}`,
      readable,
    );
  }
  if (expiresMs <= nowMs) {
    return rejection(
      'expired',
      `the command expired at ${expiresAt}; it is ${here} here`,
      readable,
    );
  }
  if (issuedMs > nowMs + maxSkewMs) {
    return rejection(
      'not_yet_valid',
      `the command was issued at ${issuedAt}, more than ${maxSkewMs / 1000} s ahead of this cabinet's ${here}`,
      readable,
    );
  }
  return undefined;
}
