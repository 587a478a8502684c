import type { FailureTally } from '../../store/web-accounts/sign-in-failure-rows.js';

/**
 * How hard guessing a console password is made, without handing anyone who knows an account's
 * name a way to keep its owner out (docs/web.md "Accounts and sign-in" says what an attacker
 * gets per day).
 *
 * Wrong passwords are counted per account AND client address: the address that guesses waits
 * longer and longer, then is locked out of that account; the owner elsewhere still signs in.
 * Many addresses guessing together reach an account-wide ceiling that slows every address the
 * account has not signed in from lately, rather than locking anyone.
 */
export interface ThrottleLimits {
  /**
   * After the n-th wrong password in a row for an account from one address, that address waits
   * waitsMs[n - 1] before its next try for the account (n below lockAfter; missing: no wait).
   */
  waitsMs: readonly number[];
  /** From this many wrong passwords from one address on, each locks that address out for lockMs. */
  lockAfter: number;
  lockMs: number;
  /** Wrong passwords older than this count for nothing. */
  forgetMs: number;
  /** The account's wrong passwords within forgetMs, from every address, that start the slowing. */
  accountCeiling: number;
  /** Past the ceiling, one guess per this long for the account from addresses not its owner's. */
  ceilingSpacingMs: number;
  /** An address the account signed in from within this long is taken as its owner's. */
  knownAddressMs: number;
  /** Wrong sign-ins from one address within `addressWindowMs`, any names, before it is refused. */
  addressFailures: number;
  addressWindowMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_THROTTLE: ThrottleLimits = {
  waitsMs: [0, 0, 10_000, MINUTE],
  lockAfter: 5,
  lockMs: 15 * MINUTE,
  forgetMs: 24 * 60 * MINUTE,
  accountCeiling: 50,
  ceilingSpacingMs: 15 * MINUTE,
  knownAddressMs: 30 * 24 * 60 * MINUTE,
  addressFailures: 20,
  addressWindowMs: 15 * MINUTE,
};

/** Why a password is not checked now, and for how long. */
export interface GuessRefusal {
  /** locked: this address is locked out of the account; slowed: a wait, or the ceiling. */
  reason: 'locked' | 'slowed';
  retryAfterMs: number;
}

/** What is known of one account's wrong passwords when a try comes from one address. */
export interface GuessRecord {
  fromAddress: FailureTally;
  forAccount: FailureTally;
  /** The account signed in from this address within knownAddressMs. */
  knownAddress: boolean;
}

/** The rules themselves: may a password be checked now, or how long must the address wait. */
export function guessRefusal(
  record: GuessRecord,
  limits: ThrottleLimits,
  now: number,
): GuessRefusal | null {
  const { fromAddress, forAccount } = record;
  if (fromAddress.lastAt !== null && fromAddress.count > 0) {
    const locked = fromAddress.count >= limits.lockAfter;
    const wait = locked ? limits.lockMs : (limits.waitsMs[fromAddress.count - 1] ?? 0);
    const left = fromAddress.lastAt + wait - now;
    if (left > 0) return { reason: locked ? 'locked' : 'slowed', retryAfterMs: left };
  }
  if (
    !record.knownAddress &&
    forAccount.lastAt !== null &&
    forAccount.count >= limits.accountCeiling
  ) {
    const left = forAccount.lastAt + limits.ceilingSpacingMs - now;
    if (left > 0) return { reason: 'slowed', retryAfterMs: left };
  }
  return null;
}

/** Where the wrong passwords of one kind of name are kept: the file, or memory. */
export interface GuessLedger {
  record(account: string, address: string, now: number): GuessRecord;
  failed(account: string, address: string, now: number): void;
}

/** How soon an address refused for the checks it has running may try again: they end by then. */
const CHECKS_RUNNING_RETRY_MS = 1_000;
/** Past this many addresses or names, the oldest is forgotten: memory stays bounded. */
const MAX_ENTRIES = 10_000;
/** Wrong tries kept per name or pair: more than any rule looks at in a day. */
const MAX_KEPT = 1_000;

/**
 * What the accounts file does not hold: wrong sign-ins per client address (any names), and the
 * wrong passwords of names that have no account. Both in memory, bounded, forgotten at a
 * restart.
 *
 * Names without an account are counted by the same rules as real ones (`unknownNames`), so
 * whether "ada" is slowed or locked tells nobody whether "ada" exists.
 */
export class SignInThrottle {
  private readonly byAddress = new Map<string, number[]>();
  /** Passwords being checked now per address: each may be one more wrong sign-in. */
  private readonly running = new Map<string, number>();
  readonly unknownNames: GuessLedger;

  constructor(readonly limits: ThrottleLimits) {
    this.unknownNames = new MemoryLedger(limits);
  }

  /**
   * Milliseconds until `address` may try again; 0 when it may now. Its checks still running
   * count as wrong sign-ins, or a burst of names sent together would all pass the limit before
   * the first was counted.
   */
  addressWait(address: string, now: number): number {
    const recent = since(this.byAddress.get(address), now - this.limits.addressWindowMs);
    if (recent.length + (this.running.get(address) ?? 0) < this.limits.addressFailures) return 0;
    if (recent.length < this.limits.addressFailures) return CHECKS_RUNNING_RETRY_MS;
    return (recent[0] ?? now) + this.limits.addressWindowMs - now;
  }

  /** A password from `address` is being checked until the returned function is called. */
  checking(address: string): () => void {
    this.running.set(address, (this.running.get(address) ?? 0) + 1);
    return () => {
      const left = (this.running.get(address) ?? 1) - 1;
      if (left > 0) this.running.set(address, left);
      else this.running.delete(address);
    };
  }

  addressFailed(address: string, now: number): void {
    const recent = since(this.byAddress.get(address), now - this.limits.addressWindowMs);
    recent.push(now);
    remember(this.byAddress, address, recent);
  }
}

/** The rules' record of names without an account, in memory. */
class MemoryLedger implements GuessLedger {
  private readonly pairs = new Map<string, number[]>();
  private readonly names = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits) {}

  record(account: string, address: string, now: number): GuessRecord {
    const from = now - this.limits.forgetMs;
    return {
      fromAddress: tally(since(this.pairs.get(pairKey(account, address)), from)),
      forAccount: tally(since(this.names.get(account.toLowerCase()), from)),
      knownAddress: false,
    };
  }

  failed(account: string, address: string, now: number): void {
    const from = now - this.limits.forgetMs;
    for (const [map, key] of [
      [this.pairs, pairKey(account, address)],
      [this.names, account.toLowerCase()],
    ] as const) {
      const kept = since(map.get(key), from);
      kept.push(now);
      remember(map, key, kept.slice(-MAX_KEPT));
    }
  }
}

const pairKey = (account: string, address: string): string =>
  `${account.toLowerCase()}\n${address}`;

function since(times: number[] | undefined, from: number): number[] {
  return (times ?? []).filter((at) => at >= from);
}

function tally(times: number[]): FailureTally {
  return { count: times.length, lastAt: times.length === 0 ? null : Math.max(...times) };
}

/** Sets `key` as the newest entry, forgetting the oldest past MAX_ENTRIES. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}
