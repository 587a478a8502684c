import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../../log/logger.js';
import { KeywardenError } from '../../errors.js';
import type { Database } from '../../store/database.js';
import { WebAccountEvents, type WebAccountEvent } from '../../store/web-accounts/account-events.js';
import { WebAccountRows, type WebAccountRow } from '../../store/web-accounts/account-rows.js';
import {
  hashPassword,
  needsRehash,
  verifyPassword,
  WEB_PASSWORD_COST,
} from '../../store/web-accounts/password-hash.js';
import type { PinHashCost } from '../../store/pin-hash.js';
import { WebSessionRows } from '../../store/web-accounts/session-rows.js';
import { SignInFailureRows } from '../../store/web-accounts/sign-in-failure-rows.js';
import { openWebAccountsDatabase } from '../../store/web-accounts/web-accounts-database.js';
import type { CustodianAccount, CustodianRole } from '../custodian-roles.js';
import { AccountGuessLedger } from './account-guess-ledger.js';
import { HashSlots } from './hash-slots.js';
import {
  DEFAULT_THROTTLE,
  guessRefusal,
  SignInThrottle,
  type GuessLedger,
  type GuessRefusal,
  type ThrottleLimits,
} from './sign-in-throttle.js';
import {
  ACCOUNT_PATTERN,
  checkAccountName,
  checkNewPassword,
  checkRole,
} from './web-account-rules.js';

/** An account as the console and the command line show it: never its hash. */
export interface WebAccountView {
  account: string;
  role: CustodianRole;
  disabled: boolean;
  /**
   * ISO 8601 UTC while some address is locked out of the account after wrong passwords (the
   * last such lock to end); null otherwise. The owner elsewhere may still sign in.
   */
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string;
}

/** A session: the token goes in the cookie, only its hash in the database. */
/** Why a password was not even checked: locked out, slowed, the address throttled, busy. */
export type PasswordCheckRefusal = Extract<
  SignInResult,
  { ok: false; reason: 'locked' | 'slowed' | 'throttled' | 'busy' }
>;

export interface NewSession {
  user: CustodianAccount;
  token: string;
  csrfToken: string;
}

export type SignInResult =
  | ({ ok: true } & NewSession)
  /** Unknown account or wrong password: the same answer for both. */
  | { ok: false; reason: 'wrong' }
  /**
   * locked: this address is locked out of the account; slowed: this address must wait before
   * its next guess, or the account is past its daily ceiling; throttled: this address made too
   * many wrong sign-ins, whatever the names.
   */
  | { ok: false; reason: 'locked' | 'slowed' | 'throttled'; retryAfterMs: number }
  /** The right password of a disabled account. */
  | { ok: false; reason: 'disabled' }
  /** Too many sign-ins being checked at once. */
  | { ok: false; reason: 'busy' };

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however used. */
  absoluteMs: number;
}

export const DEFAULT_LIFETIMES: SessionLifetimes = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3600_000,
};

export interface WebAccountsOptions {
  logger: Logger;
  now?: () => number;
  lifetimes?: SessionLifetimes;
  throttle?: ThrottleLimits;
  /** scrypt's cost for new hashes; WEB_PASSWORD_COST unless a test asks for less work. */
  passwordCost?: PinHashCost;
}

/** A session's last use is written at most this often: not one write per request. */
const TOUCH_EVERY_MS = 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const newToken = (): string => randomBytes(32).toString('base64url');
const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * The web console's accounts, sign-in and sessions: every operation on them, checked, done in
 * one transaction with the record of who did it, and logged. Used by the console's routes
 * (src/web/accounts-routes.ts) and the `keywarden web-user` commands, each naming the actor: the
 * signed-in web account, or `unix:<user>` for the command line.
 */
export class WebAccounts {
  private readonly rows: WebAccountRows;
  private readonly sessions: WebSessionRows;
  private readonly events: WebAccountEvents;
  private readonly guesses: AccountGuessLedger;
  /** Passwords being checked now, per account and address and per account (see `claim`). */
  private readonly checking = new Map<string, number>();
  private readonly log: Logger;
  private readonly now: () => number;
  readonly lifetimes: SessionLifetimes;
  readonly throttle: SignInThrottle;
  private readonly slots = new HashSlots();
  /** Checked against when the account is unknown, so that takes as long as a wrong password. */
  private readonly dummyHash: Promise<string>;
  /** Keys the CSRF token of a browser not yet signed in; a restart only makes it fetch anew. */
  private readonly anonymousKey = randomBytes(32);
  private readonly cost: PinHashCost;

  constructor(
    private readonly db: Database,
    options: WebAccountsOptions,
  ) {
    this.rows = new WebAccountRows(db);
    this.sessions = new WebSessionRows(db);
    this.events = new WebAccountEvents(db);
    this.log = options.logger.child({ module: 'web-accounts' });
    this.now = options.now ?? Date.now;
    this.lifetimes = options.lifetimes ?? DEFAULT_LIFETIMES;
    this.throttle = new SignInThrottle(options.throttle ?? DEFAULT_THROTTLE);
    this.guesses = new AccountGuessLedger(new SignInFailureRows(db), this.throttle.limits);
    this.cost = options.passwordCost ?? WEB_PASSWORD_COST;
    this.dummyHash = hashPassword(newToken(), this.cost);
    // An unhandled rejection would stop the process before anyone signs in; a failure shows
    // at the first unknown name instead.
    this.dummyHash.catch(() => undefined);
  }

  close(): void {
    this.db.close();
  }

  list(): WebAccountView[] {
    const now = this.now();
    return this.rows.list().map((row) => this.view(row, now));
  }

  /** The newest changes first: who, what, when. */
  history(limit = 100, account?: string): WebAccountEvent[] {
    return this.events.recent(limit, account);
  }

  /** The name and role of a new account checked, before its password is asked for. */
  checkNew(account: string, role: string): void {
    checkRole(role);
    if (this.rows.find(checkAccountName(account))) {
      throw new KeywardenError(
        'CONFLICT',
        `account "${account}" already exists; nothing was changed`,
      );
    }
  }

  /** An existing account's name as stored; NOT_FOUND otherwise. */
  find(account: string): string {
    return this.mustFind(checkAccountName(account)).account;
  }

  async add(
    actor: string,
    input: { account: string; role: string; password: string },
  ): Promise<WebAccountView> {
    const account = checkAccountName(input.account);
    const role = checkRole(input.role);
    checkNewPassword(account, input.password);
    if (this.rows.find(account)) {
      throw new KeywardenError(
        'CONFLICT',
        `account "${account}" already exists; nothing was changed`,
      );
    }
    const passwordHash = await hashPassword(input.password, this.cost);
    const at = this.iso();
    this.db.transaction(() => {
      // Checked again inside the transaction: another add may have run while hashing.
      if (this.rows.find(account)) {
        throw new KeywardenError(
          'CONFLICT',
          `account "${account}" already exists; nothing was changed`,
        );
      }
      this.rows.insert({ account, role, passwordHash, at });
      this.record(actor, 'account.added', account, { role });
    })();
    return this.view(this.mustFind(account), this.now());
  }

  /**
   * An administrator's change to an account: its role, disabled or not, a new password. Each
   * of them ends the account's sessions, so a demoted or disabled person's open browser loses
   * what it had at once. The last enabled administrator cannot be demoted or disabled: then no
   * one could manage the accounts from the console.
   */
  async update(
    actor: string,
    name: string,
    change: { role?: string; disabled?: boolean; password?: string },
  ): Promise<WebAccountView> {
    const before = this.mustFind(checkAccountName(name));
    const account = before.account;
    const role = change.role === undefined ? undefined : checkRole(change.role);
    if (change.password !== undefined) checkNewPassword(account, change.password);
    if (role === undefined && change.disabled === undefined && change.password === undefined) {
      throw new KeywardenError(
        'USAGE',
        'say what to change: role, disabled or password; nothing was changed',
      );
    }
    const passwordHash =
      change.password === undefined ? undefined : await hashPassword(change.password, this.cost);
    this.db.transaction(() => {
      const current = this.mustFind(account);
      const losesAdmin =
        current.role === 'admin' &&
        !current.disabled &&
        ((role !== undefined && role !== 'admin') || change.disabled === true);
      if (losesAdmin && this.rows.otherEnabledAdmins(account) === 0) {
        throw new KeywardenError(
          'CONFLICT',
          `${account} is the last enabled administrator; make another one first; nothing was changed`,
        );
      }
      if (role !== undefined && role !== current.role) {
        this.rows.setRole(account, role);
        this.record(actor, 'account.role-changed', account, { from: current.role, to: role });
      }
      if (change.disabled !== undefined && change.disabled !== current.disabled) {
        this.rows.setDisabled(account, change.disabled);
        this.record(actor, change.disabled ? 'account.disabled' : 'account.enabled', account, null);
      }
      if (passwordHash !== undefined) {
        this.rows.setPassword(account, passwordHash, this.iso());
        this.record(actor, 'password.reset', account, null);
      }
      // Enabling (even an enabled account: `web-user enable` is the unlock) or a new password
      // ends every lock and forgets the wrong passwords before it.
      if (change.disabled === false || passwordHash !== undefined) {
        const forgotten = this.guesses.clearAccount(account);
        if (forgotten > 0) {
          this.record(actor, 'account.unlocked', account, { wrongPasswords: forgotten });
        }
      }
      this.endSessions(account);
    })();
    return this.view(this.mustFind(account), this.now());
  }

  /**
   * A signed-in person's change of their own password: the current one must be right (a wrong
   * one counts towards the lockout like a wrong sign-in, or a borrowed session could guess it).
   * Every session of the account ends; the caller gets a new one.
   */
  async changeOwnPassword(
    account: string,
    current: string,
    next: string,
    address: string,
  ): Promise<NewSession | 'wrong' | PasswordCheckRefusal> {
    const row = this.mustFind(account);
    checkNewPassword(row.account, next, 'newPassword');
    if (next === current) {
      throw new KeywardenError(
        'USAGE',
        'newPassword must differ from the current one; nothing was changed',
      );
    }
    // The same limits as a sign-in, from the same record: a borrowed session guessing the
    // current password is slowed and locked out as a guesser at the sign-in would be.
    const now = this.now();
    const throttled = this.throttle.addressWait(address, now);
    if (throttled > 0) return { ok: false, reason: 'throttled', retryAfterMs: throttled };
    const refused = this.refusal(this.guesses, row.account, address, now);
    if (refused) return refused;
    // Signed in already: a flood of sign-ins does not keep the owner from changing it.
    const ok = await this.claim(this.guesses, row.account, address, () =>
      this.slots.run(() => verifyPassword(current, row.passwordHash), true),
    );
    if (ok === 'claimed') return { ok: false, reason: 'slowed', retryAfterMs: 1000 };
    if (ok === null) return { ok: false, reason: 'busy' };
    if (!ok) {
      const locked = this.wrongPassword(this.guesses, row.account, address, now);
      return locked ?? 'wrong';
    }
    const passwordHash = await hashPassword(next, this.cost);
    let session: NewSession | undefined;
    this.db.transaction(() => {
      this.rows.setPassword(row.account, passwordHash, this.iso());
      this.record(row.account, 'password.changed', row.account, null);
      this.endSessions(row.account);
      session = this.newSession({ account: row.account, role: row.role });
    })();
    if (!session) throw new Error('no session made');
    return session;
  }

  async signIn(name: string, password: string, address: string): Promise<SignInResult> {
    const now = this.now();
    const throttled = this.throttle.addressWait(address, now);
    if (throttled > 0) return { ok: false, reason: 'throttled', retryAfterMs: throttled };
    this.sessions.deleteExpired(now - this.lifetimes.idleMs, now - this.lifetimes.absoluteMs);
    const row = ACCOUNT_PATTERN.test(name) ? this.rows.find(name) : undefined;
    // A name without an account is counted by the same rules, in memory, and its password is
    // checked against a stand-in hash of the same cost: the answers and the work are the same.
    const ledger = row ? this.guesses : this.throttle.unknownNames;
    const account = row?.account ?? name;
    const refused = this.refusal(ledger, account, address, now);
    if (refused) return refused;
    const stored = row?.passwordHash ?? (await this.dummyHash);
    // From where the account signed in before, ahead of the line: a flood of sign-ins from
    // fresh addresses, which keeps it full, does not keep the owner out.
    const known = row !== undefined && this.guesses.record(row.account, address, now).knownAddress;
    const ok = await this.claim(ledger, account, address, () =>
      this.slots.run(() => verifyPassword(password, stored), known),
    );
    if (ok === 'claimed') return { ok: false, reason: 'slowed', retryAfterMs: 1000 };
    if (ok === null) return { ok: false, reason: 'busy' };
    if (!ok || !row) {
      const locked = this.wrongPassword(ledger, account, address, now, row !== undefined);
      this.log.info(
        { account: row?.account, address },
        'web sign-in refused: wrong account or password',
      );
      return locked ?? { ok: false, reason: 'wrong' };
    }
    if (row.disabled) {
      this.log.warn({ account: row.account, address }, 'web sign-in refused: account disabled');
      return { ok: false, reason: 'disabled' };
    }
    this.guesses.succeeded(row.account, address, now);
    if (needsRehash(row.passwordHash, this.cost)) {
      this.rows.rehash(row.account, await hashPassword(password, this.cost));
    }
    const session = this.newSession({ account: row.account, role: row.role });
    this.log.info({ account: row.account, address }, 'web sign-in');
    return { ok: true, ...session };
  }

  /** The signed-in person and CSRF token of a session token; null when none is live. */
  session(token: string | undefined): { user: CustodianAccount; csrfToken: string } | null {
    if (token === undefined || !TOKEN_PATTERN.test(token)) return null;
    const hash = tokenHash(token);
    const row = this.sessions.find(hash);
    if (!row) return null;
    const now = this.now();
    if (
      now - row.lastSeenAt >= this.lifetimes.idleMs ||
      now - row.createdAt >= this.lifetimes.absoluteMs
    ) {
      this.sessions.delete(hash);
      return null;
    }
    if (now - row.lastSeenAt >= TOUCH_EVERY_MS) this.sessions.touch(hash, now);
    return { user: { account: row.account, role: row.role }, csrfToken: row.csrfToken };
  }

  signOut(token: string | undefined): void {
    if (token === undefined || !TOKEN_PATTERN.test(token)) return;
    const row = this.sessions.find(tokenHash(token));
    this.sessions.delete(tokenHash(token));
    if (row) this.log.info({ account: row.account }, 'web sign-out');
  }

  /** A fresh token for a browser not signed in (its cookie), from which its CSRF token comes. */
  newAnonymousToken(): string {
    return newToken();
  }

  /** The CSRF token of a browser not signed in: bound to its cookie, kept nowhere. */
  anonymousCsrf(token: string): string | null {
    if (!TOKEN_PATTERN.test(token)) return null;
    return createHmac('sha256', this.anonymousKey).update(token).digest('base64url');
  }

  private newSession(user: CustodianAccount): NewSession {
    const token = newToken();
    const csrfToken = newToken();
    this.sessions.insert({
      tokenHash: tokenHash(token),
      account: user.account,
      csrfToken,
      at: this.now(),
    });
    return { user, token, csrfToken };
  }

  /** Why a password from `address` for `account` is not checked now; null: it is. */
  private refusal(
    ledger: GuessLedger,
    account: string,
    address: string,
    now: number,
  ): (GuessRefusal & { ok: false }) | null {
    const refused = guessRefusal(ledger.record(account, address, now), this.throttle.limits, now);
    return refused && { ok: false, ...refused };
  }

  /**
   * Runs one password check for the account from the address, unless one is running: the rules
   * look at the wrong passwords already counted, and a burst of guesses sent together would
   * otherwise all pass them before the first was counted. So the checks running count as wrong
   * passwords: at most one for the account once they would reach its ceiling (or many
   * addresses together would pass it), none past what the address may try (or one address
   * guessing many names would).
   */
  private async claim<T>(
    ledger: GuessLedger,
    account: string,
    address: string,
    check: () => Promise<T>,
  ): Promise<T | 'claimed'> {
    // JSON arrays: no name, however odd (an unknown one may hold any text), reads as a pair.
    const name = account.toLowerCase();
    const pair = JSON.stringify([name, address]);
    const whole = JSON.stringify([name]);
    const now = this.now();
    const forAccount = this.checking.get(whole) ?? 0;
    const record = ledger.record(account, address, now);
    const atCeiling = record.forAccount.count + forAccount >= this.throttle.limits.accountCeiling;
    if (this.checking.has(pair) || (atCeiling && forAccount > 0)) return 'claimed';
    if (this.throttle.addressWait(address, now) > 0) return 'claimed';
    const done = [this.hold(pair), this.hold(whole), this.throttle.checking(address)];
    try {
      return await check();
    } finally {
      for (const release of done) release();
    }
  }

  /** Counts a check running under `key` until the returned function is called. */
  private hold(key: string): () => void {
    this.checking.set(key, (this.checking.get(key) ?? 0) + 1);
    return () => {
      const left = (this.checking.get(key) ?? 1) - 1;
      if (left > 0) this.checking.set(key, left);
      else this.checking.delete(key);
    };
  }

  /**
   * Counts a wrong password for the account from the address; returns the lock when this one
   * locks the address out (recorded for a real account, with the address).
   */
  private wrongPassword(
    ledger: GuessLedger,
    account: string,
    address: string,
    now: number,
    real = true,
  ): (GuessRefusal & { ok: false }) | null {
    this.throttle.addressFailed(address, now);
    const limits = this.throttle.limits;
    return this.db.transaction(() => {
      ledger.failed(account, address, now);
      const record = ledger.record(account, address, now);
      if (real && record.forAccount.count === limits.accountCeiling) {
        this.record('sign-in', 'account.slowed', account, {
          wrongPasswords: limits.accountCeiling,
          withinHours: limits.forgetMs / 3_600_000,
        });
      }
      if (record.fromAddress.count < limits.lockAfter) return null;
      if (real) {
        this.record('sign-in', 'account.locked', account, {
          address,
          until: new Date(now + limits.lockMs).toISOString(),
          wrongPasswords: record.fromAddress.count,
        });
      }
      return { ok: false as const, reason: 'locked' as const, retryAfterMs: limits.lockMs };
    })();
  }

  private endSessions(account: string): void {
    const ended = this.sessions.deleteForAccount(account);
    if (ended > 0) this.log.info({ account, sessions: ended }, 'web sessions ended');
  }

  private record(
    actor: string,
    action: string,
    account: string,
    detail: Record<string, unknown> | null,
  ): void {
    this.events.append({ at: this.iso(), actor, action, account, detail });
    this.log.info({ actor, action, account, ...(detail ?? {}) }, `web account ${action}`);
  }

  private mustFind(account: string): WebAccountRow {
    const row = this.rows.find(account);
    if (!row) throw new KeywardenError('NOT_FOUND', `no web account "${account}"`);
    return row;
  }

  private view(row: WebAccountRow, now: number): WebAccountView {
    const lockedUntil = this.guesses.lockedUntil(row.account, now);
    return {
      account: row.account,
      role: row.role,
      disabled: row.disabled,
      lockedUntil: lockedUntil === null ? null : new Date(lockedUntil).toISOString(),
      createdAt: row.createdAt,
      passwordChangedAt: row.passwordChangedAt,
    };
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

/** Opens the accounts database of config `web.accountsDatabase`. */
export function openWebAccounts(file: string, options: WebAccountsOptions): WebAccounts {
  return new WebAccounts(openWebAccountsDatabase(file), options);
}

/** Constant-time comparison of two tokens (a CSRF header against the session's). */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
