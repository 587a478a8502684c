import type { SignInFailureRows } from '../../store/web-accounts/sign-in-failure-rows.js';
import type { GuessLedger, GuessRecord, ThrottleLimits } from './sign-in-throttle.js';

/**
 * The rules' record of real accounts, in the accounts file: a restart of the console forgets no
 * lock, and the command line's unlock (another process) reaches it. Rows no rule looks at any
 * more are deleted as new ones are written, so the tables stay small.
 */
export class AccountGuessLedger implements GuessLedger {
  constructor(
    private readonly rows: SignInFailureRows,
    private readonly limits: ThrottleLimits,
  ) {}

  record(account: string, address: string, now: number): GuessRecord {
    const from = now - this.limits.forgetMs;
    return {
      fromAddress: this.rows.fromAddress(account, address, from),
      forAccount: this.rows.forAccount(account, from),
      knownAddress: this.rows.knownAddress(account, address, now - this.limits.knownAddressMs),
    };
  }

  failed(account: string, address: string, now: number): void {
    this.rows.forgetBefore(now - this.limits.forgetMs);
    this.rows.add(account, address, now);
  }

  /** A right password from `address`: its wrong ones are forgotten, the address is the owner's. */
  succeeded(account: string, address: string, now: number): void {
    this.rows.clearAddress(account, address);
    this.rows.forgetAddressesBefore(now - this.limits.knownAddressMs);
    this.rows.rememberAddress(account, address, now);
  }

  /** An administrator's unlock: every wrong password of the account forgotten; how many. */
  clearAccount(account: string): number {
    return this.rows.clearAccount(account);
  }

  /** When the last lock of an address out of the account ends; null when none is in force. */
  lockedUntil(account: string, now: number): number | null {
    let until: number | null = null;
    for (const pair of this.rows.byAddress(account, now - this.limits.forgetMs)) {
      if (pair.count < this.limits.lockAfter || pair.lastAt === null) continue;
      const end = pair.lastAt + this.limits.lockMs;
      if (end > now && (until === null || end > until)) until = end;
    }
    return until;
  }
}
