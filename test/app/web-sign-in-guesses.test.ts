import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openWebAccounts,
  type SignInResult,
  type WebAccounts,
} from '../../src/app/web-accounts/web-accounts.js';
import { hashPassword } from '../../src/store/web-accounts/password-hash.js';
import { openDatabase } from '../../src/store/database.js';
import {
  openWebAccountsDatabase,
  webMigrationsDir,
} from '../../src/store/web-accounts/web-accounts-database.js';
import { silentLogger } from '../../src/log/logger.js';
import { TEST_PASSWORD_COST } from '../support/console-server.js';

/**
 * The sign-in's guessing rules (src/app/web-accounts/sign-in-throttle.ts) on a fake clock, with
 * the real accounts file: the guessing address waits, then is locked out; the owner elsewhere
 * signs in; many addresses together reach a ceiling that slows instead of locking.
 */
const PASSWORD = 'correct horse battery';
const SECOND = 1000;
const MINUTE = 60_000;
const START = Date.parse('2026-12-07T09:00:00Z');

let dir: string;
let file: string;
let accounts: WebAccounts;
let now = START;

function open(): WebAccounts {
  accounts = openWebAccounts(file, {
    logger: silentLogger(),
    now: () => now,
    passwordCost: TEST_PASSWORD_COST,
  });
  return accounts;
}

async function withAda(): Promise<WebAccounts> {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-guesses-'));
  file = join(dir, 'web.db');
  open();
  await accounts.add('unix:root', { account: 'ada', role: 'custodian', password: PASSWORD });
  return accounts;
}

const wrong = (n: number) => `wrong password ${n}`;
const refusal = (result: SignInResult) =>
  result.ok
    ? 'signed in'
    : 'retryAfterMs' in result
      ? [result.reason, result.retryAfterMs]
      : result.reason;

afterEach(() => {
  accounts.close();
  rmSync(dir, { recursive: true, force: true });
  now = START;
});

describe('wrong passwords, per account and address', () => {
  it('makes the guessing address wait longer, then locks it out; an unknown name alike', async () => {
    await withAda();
    for (const name of ['ada', 'ghost']) {
      now = START;
      const at = '10.6.6.6';
      const answers: unknown[] = [];
      const attempt = async (password: string) =>
        answers.push(refusal(await accounts.signIn(name, password, at)));
      await attempt(wrong(1));
      await attempt(wrong(2));
      await attempt(wrong(3));
      await attempt(wrong(4)); // at once: refused unchecked
      now += 10 * SECOND;
      await attempt(wrong(4));
      await attempt(wrong(5));
      now += MINUTE;
      await attempt(wrong(5));
      now += 3 * MINUTE;
      await attempt(PASSWORD); // locked out: even the right one is not checked
      expect(answers, name).toEqual([
        'wrong',
        'wrong',
        'wrong',
        ['slowed', 10 * SECOND],
        'wrong',
        ['slowed', MINUTE],
        ['locked', 15 * MINUTE],
        ['locked', 12 * MINUTE],
      ]);
    }
  });

  it("lets the owner sign in from another address while the attacker's is locked out, across a restart", async () => {
    await withAda();
    for (let i = 1; i <= 5; i++) {
      await accounts.signIn('ada', wrong(i), '10.6.6.6');
      now += 2 * MINUTE;
    }
    expect(accounts.list()[0]?.lockedUntil).toBe('2026-12-07T09:23:00.000Z');
    expect(accounts.history()[0]).toMatchObject({
      actor: 'sign-in',
      action: 'account.locked',
      account: 'ada',
      detail: { address: '10.6.6.6', until: '2026-12-07T09:23:00.000Z', wrongPasswords: 5 },
    });
    // The console restarts: the lock is in the file.
    accounts.close();
    open();
    expect(refusal(await accounts.signIn('ada', PASSWORD, '10.6.6.6'))).toEqual([
      'locked',
      13 * MINUTE,
    ]);
    expect(await accounts.signIn('ada', PASSWORD, '192.168.1.20')).toMatchObject({ ok: true });
    // Once the lock ends, each further wrong password from that address locks it again.
    now += 13 * MINUTE;
    expect(refusal(await accounts.signIn('ada', wrong(6), '10.6.6.6'))).toEqual([
      'locked',
      15 * MINUTE,
    ]);
  });

  it("counts the owner's own wrong tries against their address, and forgets them at the right password", async () => {
    await withAda();
    const home = '192.168.1.20';
    expect(refusal(await accounts.signIn('ada', wrong(1), home))).toBe('wrong');
    expect(refusal(await accounts.signIn('ada', wrong(2), home))).toBe('wrong');
    expect(await accounts.signIn('ada', PASSWORD, home)).toMatchObject({ ok: true });
    // Forgotten: two more typos cost no wait.
    expect(refusal(await accounts.signIn('ada', wrong(3), home))).toBe('wrong');
    expect(refusal(await accounts.signIn('ada', wrong(4), home))).toBe('wrong');
    expect(refusal(await accounts.signIn('ada', wrong(5), home))).toBe('wrong');
    expect(refusal(await accounts.signIn('ada', PASSWORD, home))).toEqual(['slowed', 10 * SECOND]);
    now += 10 * SECOND;
    expect(await accounts.signIn('ada', PASSWORD, home)).toMatchObject({ ok: true });
  });

  it('gives an attacker rotating addresses at most 146 guesses a day, slowed not locked, the owner at home passing', async () => {
    await withAda();
    const home = '192.168.1.20';
    expect(await accounts.signIn('ada', PASSWORD, home)).toMatchObject({ ok: true });
    let checked = 0;
    let address = 0;
    const answers = new Map<string, number>();
    // One guess a minute for a day, each from an address never seen before.
    for (let minute = 0; minute < 24 * 60; minute++) {
      address += 1;
      const result = await accounts.signIn(
        'ada',
        wrong(minute),
        `10.${address >> 8}.${address & 255}.1`,
      );
      const reason = result.ok ? 'signed in' : result.reason;
      answers.set(reason, (answers.get(reason) ?? 0) + 1);
      if (reason === 'wrong' || reason === 'locked') checked += 1;
      if (minute === 100) {
        // Past the ceiling: the owner on a new phone is slowed too (not locked)…
        expect(refusal(await accounts.signIn('ada', PASSWORD, '172.16.0.9'))).toEqual([
          'slowed',
          expect.any(Number),
        ]);
        // …and from where they signed in before, passes at once.
        expect(await accounts.signIn('ada', PASSWORD, home)).toMatchObject({ ok: true });
      }
      now += MINUTE;
    }
    expect(checked).toBeLessThanOrEqual(50 + 96);
    expect(checked).toBeGreaterThan(50);
    expect([...answers.keys()].sort()).toEqual(['slowed', 'wrong']);
    expect(accounts.history(100).some((e) => e.action === 'account.slowed')).toBe(true);
    // The attacker's addresses each tried once: none is locked out.
    expect(accounts.list()[0]?.lockedUntil).toBeNull();
  });

  it('checks one password at a time per account and address: a burst cannot pass the count', async () => {
    await withAda();
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => accounts.signIn('ada', wrong(i), '10.6.6.6')),
    );
    const reasons = burst.map((result) => (result.ok ? 'ok' : result.reason));
    expect(reasons.filter((r) => r === 'wrong')).toHaveLength(1);
    expect(reasons.filter((r) => r === 'slowed')).toHaveLength(9);
  });

  it('ends the locks at an administrator’s enable or password reset, recorded', async () => {
    await withAda();
    for (let i = 1; i <= 5; i++) {
      await accounts.signIn('ada', wrong(i), '10.6.6.6');
      now += 2 * MINUTE;
    }
    expect(accounts.list()[0]?.lockedUntil).not.toBeNull();
    // `keywarden web-user enable ada` on an account that was never disabled is the unlock.
    const view = await accounts.update('unix:root', 'ada', { disabled: false });
    expect(view.lockedUntil).toBeNull();
    expect(accounts.history()[0]).toMatchObject({
      actor: 'unix:root',
      action: 'account.unlocked',
      detail: { wrongPasswords: 5 },
    });
    expect(await accounts.signIn('ada', PASSWORD, '10.6.6.6')).toMatchObject({ ok: true });
  });
});

describe('the upgrade from migration web/001', () => {
  it('keeps accounts and sessions and ends the old account-wide locks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keywarden-guesses-'));
    file = join(dir, 'web.db');
    // A file as the release before made it: only 001, an account locked the old way.
    const old = join(dir, 'migrations-001');
    mkdirSync(old);
    copyFileSync(join(webMigrationsDir(), '001_accounts.sql'), join(old, '001_accounts.sql'));
    const db = openDatabase(file, { migrations: old });
    db.prepare(
      `INSERT INTO web_accounts (account, role, password_hash, failed_sign_ins, locked_until,
         created_at, password_changed_at) VALUES ('ada', 'admin', ?, 2, ?, ?, ?)`,
    ).run(
      await hashPassword(PASSWORD, TEST_PASSWORD_COST),
      START + 10 * MINUTE,
      '2026-12-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    );
    db.close();
    open();
    expect(accounts.list()).toMatchObject([{ account: 'ada', role: 'admin', lockedUntil: null }]);
    expect(await accounts.signIn('ada', PASSWORD, '10.0.0.1')).toMatchObject({ ok: true });
    const upgraded = openWebAccountsDatabase(file);
    const tables = upgraded
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'web_%'")
      .all()
      .map((row) => (row as { name: string }).name)
      .sort();
    const oldLock = upgraded
      .prepare('SELECT failed_sign_ins AS failures, locked_until AS until FROM web_accounts')
      .get();
    upgraded.close();
    expect(oldLock).toEqual({ failures: 0, until: null });
    expect(tables).toEqual([
      'web_account_events',
      'web_accounts',
      'web_known_addresses',
      'web_sessions',
      'web_sign_in_failures',
    ]);
  });
});
