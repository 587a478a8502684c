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
import { openWebAccountsDatabase } from '../../store/web-accounts/web-accounts-database.js';
import type { CustodianAccount, CustodianRole } from '../custodian-roles.js';
import { HashSlots } from './hash-slots.js';
import { DEFAULT_THROTTLE, SignInThrottle, type ThrottleLimits } from './sign-in-throttle.js';
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
  /** ISO 8601 UTC while locked after wrong passwords; null otherwise. */
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string;
}

/** A session: the token goes in the cookie, only its hash in the database. */
/** Why a password was not even checked: the account locked, the address throttled, busy. */
export type PasswordCheckRefusal = Extract<
  SignInResult,
  { ok: false; reason: 'locked' | 'throttled' | 'busy' }
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
  | { ok: false; reason: 'locked' | 'throttled'; retryAfterMs: number }
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
    return this.rows.list().map((row) => view(row, now));
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
    return view(this.mustFind(account), this.now());
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
      this.endSessions(account);
    })();
    return view(this.mustFind(account), this.now());
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
    // The same limits as a sign-in: a locked account's password is not checked here either (the
    // right guess would unlock it and lock its owner out), and an address that guesses too often
    // is refused for a while.
    const now = this.now();
    const throttled = this.throttle.addressWait(address, now);
    if (throttled > 0) return { ok: false, reason: 'throttled', retryAfterMs: throttled };
    const lockedFor = Math.max(0, (row.lockedUntil ?? 0) - now);
    if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterMs: lockedFor };
    const ok = await this.slots.run(() => verifyPassword(current, row.passwordHash));
    if (ok === null) return { ok: false, reason: 'busy' };
    if (!ok) {
      this.throttle.addressFailed(address, now);
      const locked = this.wrongPassword(row);
      return locked > 0 ? { ok: false, reason: 'locked', retryAfterMs: locked } : 'wrong';
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
    const lockedFor = row
      ? Math.max(0, (row.lockedUntil ?? 0) - now)
      : this.throttle.unknownNameWait(name, now);
    if (lockedFor > 0) return { ok: false, reason: 'locked', retryAfterMs: lockedFor };
    const stored = row?.passwordHash ?? (await this.dummyHash);
    const ok = await this.slots.run(() => verifyPassword(password, stored));
    if (ok === null) return { ok: false, reason: 'busy' };
    if (!ok || !row) {
      this.throttle.addressFailed(address, now);
      const locked = row ? this.wrongPassword(row) : this.throttle.unknownNameFailed(name, now);
      this.log.info(
        { account: row?.account, address },
        'web sign-in refused: wrong account or password',
      );
      return locked > 0
        ? { ok: false, reason: 'locked', retryAfterMs: locked }
        : { ok: false, reason: 'wrong' };
    }
    if (row.disabled) {
      this.log.warn({ account: row.account, address }, 'web sign-in refused: account disabled');
      return { ok: false, reason: 'disabled' };
    }
    this.rows.clearFailures(row.account);
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

  /** Counts a wrong password; returns the lock's length when this one locks the account. */
  private wrongPassword(row: WebAccountRow): number {
    const limits = this.throttle.limits;
    return this.db.transaction(() => {
      if (this.rows.addFailure(row.account) < limits.lockAfter) return 0;
      const until = this.now() + limits.lockMs;
      this.rows.lock(row.account, until);
      this.record('sign-in', 'account.locked', row.account, {
        until: new Date(until).toISOString(),
        wrongPasswords: limits.lockAfter,
      });
      return limits.lockMs;
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

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function view(row: WebAccountRow, now: number): WebAccountView {
  return {
    account: row.account,
    role: row.role,
    disabled: row.disabled,
    lockedUntil:
      row.lockedUntil === null || row.lockedUntil <= now
        ? null
        : new Date(row.lockedUntil).toISOString(),
    createdAt: row.createdAt,
    passwordChangedAt: row.passwordChangedAt,
  };
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
