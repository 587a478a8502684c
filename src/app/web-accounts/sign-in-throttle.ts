/**
 * What the accounts table cannot remember: wrong sign-ins per client address, and per account
 * name that has no account. Both in memory, bounded, forgotten at a restart (the per-account
 * lockout of real accounts is in the database).
 *
 * Names without an account lock exactly as real ones do, so whether "ada" is locked after five
 * wrong tries tells nobody whether "ada" exists.
 */
export interface ThrottleLimits {
  /** Wrong passwords in a row that lock an account. */
  lockAfter: number;
  lockMs: number;
  /** Wrong sign-ins from one address within `addressWindowMs` before it is refused. */
  addressFailures: number;
  addressWindowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  lockAfter: 5,
  lockMs: 15 * 60_000,
  addressFailures: 20,
  addressWindowMs: 15 * 60_000,
};

/** Past this many addresses or names, the oldest is forgotten: memory stays bounded. */
const MAX_ENTRIES = 10_000;

export class SignInThrottle {
  private readonly byAddress = new Map<string, number[]>();
  private readonly unknownNames = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(readonly limits: ThrottleLimits) {}

  /** Milliseconds until `address` may try again; 0 when it may now. */
  addressWait(address: string, now: number): number {
    const recent = this.recentFailures(address, now);
    if (recent.length < this.limits.addressFailures) return 0;
    return (recent[0] ?? now) + this.limits.addressWindowMs - now;
  }

  addressFailed(address: string, now: number): void {
    const recent = this.recentFailures(address, now);
    recent.push(now);
    this.byAddress.delete(address);
    this.byAddress.set(address, recent);
    trim(this.byAddress);
  }

  /** Milliseconds an unknown name stays locked; 0 when not. */
  unknownNameWait(name: string, now: number): number {
    const entry = this.unknownNames.get(name.toLowerCase());
    return entry && entry.lockedUntil > now ? entry.lockedUntil - now : 0;
  }

  /** A wrong try for a name with no account; returns the lock's length when this one locks. */
  unknownNameFailed(name: string, now: number): number {
    const key = name.toLowerCase();
    const entry = this.unknownNames.get(key) ?? { failures: 0, lockedUntil: 0 };
    entry.failures += 1;
    let locked = 0;
    if (entry.failures >= this.limits.lockAfter) {
      entry.failures = 0;
      entry.lockedUntil = now + this.limits.lockMs;
      locked = this.limits.lockMs;
    }
    this.unknownNames.delete(key);
    this.unknownNames.set(key, entry);
    trim(this.unknownNames);
    return locked;
  }

  private recentFailures(address: string, now: number): number[] {
    const since = now - this.limits.addressWindowMs;
    return (this.byAddress.get(address) ?? []).filter((at) => at > since);
  }
}

function trim<V>(map: Map<string, V>): void {
  while (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}
