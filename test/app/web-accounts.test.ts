import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWebAccounts, type WebAccounts } from '../../src/app/web-accounts/web-accounts.js';
import {
  DEFAULT_THROTTLE,
  type ThrottleLimits,
} from '../../src/app/web-accounts/sign-in-throttle.js';
import { TEST_PASSWORD_COST } from '../support/console-server.js';
import { silentLogger } from '../../src/log/logger.js';
import { openWebAccountsDatabase } from '../../src/store/web-accounts/web-accounts-database.js';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

let dir: string;
let accounts: WebAccounts;
let now = Date.parse('2026-12-07T09:00:00Z');

/**
 * The accounts at a cheap scrypt cost: sign-in's rules do not depend on it, and the tests hash
 * many passwords. `realCost`: the cost the console uses.
 */
function open(throttle?: Partial<ThrottleLimits>, realCost = false): WebAccounts {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-web-accounts-'));
  accounts = openWebAccounts(join(dir, 'web', 'web.db'), {
    logger: silentLogger(),
    now: () => now,
    throttle: { ...DEFAULT_THROTTLE, ...throttle },
    ...(realCost ? {} : { passwordCost: TEST_PASSWORD_COST }),
  });
  return accounts;
}

afterEach(() => {
  accounts.close();
  rmSync(dir, { recursive: true, force: true });
  now = Date.parse('2026-12-07T09:00:00Z');
});

describe("the console's accounts", () => {
  it(
    'keeps a scrypt hash that records its cost, in a file only its owner reads',
    { timeout: 30_000 },
    async () => {
      open({}, true);
      await accounts.add('unix:root', { account: 'ada', role: 'admin', password: PASSWORD });
      const file = join(dir, 'web', 'web.db');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const db = openWebAccountsDatabase(file);
      const { hash } = db.prepare('SELECT password_hash AS hash FROM web_accounts').get() as {
        hash: string;
      };
      db.close();
      expect(hash).toMatch(/^scrypt\$65536\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(hash).not.toContain(PASSWORD);
    },
  );

  it('refuses a short password, one containing the name, a bad name or role, naming the field', async () => {
    open();
    const add = (account: string, role: string, password: string) =>
      accounts.add('unix:root', { account, role, password });
    await expect(add('ada', 'admin', 'short')).rejects.toThrow(
      'password must be at least 12 characters (it has 5); nothing was changed',
    );
    await expect(add('lovelace', 'admin', 'Lovelace-is-great')).rejects.toThrow(
      "password must not contain the account's name",
    );
    await expect(add('ada lovelace', 'admin', PASSWORD)).rejects.toThrow(/^account must be/);
    // The daemon records a web user's changes as <name>@<delegate>: a name of its own with @
    // could pass for another record.
    await expect(add('ada@web-console', 'admin', PASSWORD)).rejects.toThrow(/\(no @\)/);
    await expect(add('ada', 'root', PASSWORD)).rejects.toThrow(
      'role must be one of viewer, custodian, admin, not "root"',
    );
    await add('ada', 'admin', PASSWORD);
    await expect(add('ADA', 'viewer', PASSWORD)).rejects.toThrow('account "ADA" already exists');
    expect(accounts.list().map((a) => a.account)).toEqual(['ada']);
  });

  it('signs in with the right password only, and gives an unknown name the same answer', async () => {
    open();
    await accounts.add('unix:root', { account: 'ada', role: 'custodian', password: PASSWORD });
    const ok = await accounts.signIn('Ada', PASSWORD, '10.0.0.1');
    expect(ok).toMatchObject({ ok: true, user: { account: 'ada', role: 'custodian' } });
    expect(await accounts.signIn('ada', 'wrong password!!', '10.0.0.1')).toEqual({
      ok: false,
      reason: 'wrong',
    });
    expect(await accounts.signIn('nobody', PASSWORD, '10.0.0.1')).toEqual({
      ok: false,
      reason: 'wrong',
    });
    if (!ok.ok) throw new Error('unreachable');
    expect(accounts.session(ok.token)?.user).toEqual({ account: 'ada', role: 'custodian' });
  });

  it('refuses an address after 20 wrong sign-ins in 15 minutes, whatever the names', async () => {
    open();
    for (let i = 0; i < 20; i++) {
      expect(await accounts.signIn(`name${i}`, 'wrong password', '10.9.9.9')).toMatchObject({
        reason: 'wrong',
      });
    }
    expect(await accounts.signIn('other', 'wrong password', '10.9.9.9')).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterMs: 15 * MINUTE,
    });
    expect(await accounts.signIn('other', 'wrong password', '10.9.9.8')).toMatchObject({
      reason: 'wrong',
    });
    now += 15 * MINUTE + 1;
    expect(await accounts.signIn('other', 'wrong password', '10.9.9.9')).toMatchObject({
      reason: 'wrong',
    });
  });

  it('ends a session after 30 idle minutes or 12 hours, whichever comes first', async () => {
    open();
    await accounts.add('unix:root', { account: 'ada', role: 'viewer', password: PASSWORD });
    const first = await accounts.signIn('ada', PASSWORD, '10.0.0.1');
    if (!first.ok) throw new Error('sign-in failed');
    now += 29 * MINUTE;
    expect(accounts.session(first.token)).not.toBeNull();
    now += 29 * MINUTE;
    expect(accounts.session(first.token)).not.toBeNull();
    now += 31 * MINUTE;
    expect(accounts.session(first.token)).toBeNull();
    const second = await accounts.signIn('ada', PASSWORD, '10.0.0.1');
    if (!second.ok) throw new Error('sign-in failed');
    for (let used = 0; used < 12 * 60; used += 20) {
      now += 20 * MINUTE;
      if (used + 20 < 12 * 60) expect(accounts.session(second.token), `${used}`).not.toBeNull();
    }
    expect(accounts.session(second.token)).toBeNull();
  });

  it("ends an account's sessions when its role or password changes or it is disabled, and records who did it", async () => {
    open();
    await accounts.add('unix:root', { account: 'ada', role: 'admin', password: PASSWORD });
    await accounts.add('ada', { account: 'bob', role: 'custodian', password: PASSWORD });
    const session = async () => {
      const result = await accounts.signIn('bob', PASSWORD, '10.0.0.1');
      if (!result.ok) throw new Error('sign-in failed');
      return result.token;
    };
    let token = await session();
    await accounts.update('ada', 'bob', { role: 'viewer' });
    expect(accounts.session(token)).toBeNull();
    token = await session();
    await accounts.update('ada', 'bob', { password: 'a new long password' });
    expect(accounts.session(token)).toBeNull();
    const renewed = await accounts.signIn('bob', 'a new long password', '10.0.0.1');
    if (!renewed.ok) throw new Error('sign-in failed');
    await accounts.update('ada', 'bob', { disabled: true });
    expect(accounts.session(renewed.token)).toBeNull();
    expect(await accounts.signIn('bob', 'a new long password', '10.0.0.1')).toEqual({
      ok: false,
      reason: 'disabled',
    });
    expect(
      accounts
        .history()
        .map((e) => `${e.actor} ${e.action} ${e.account}`)
        .reverse(),
    ).toEqual([
      'unix:root account.added ada',
      'ada account.added bob',
      'ada account.role-changed bob',
      'ada password.reset bob',
      'ada account.disabled bob',
    ]);
  });

  it('keeps one enabled administrator at least', async () => {
    open();
    await accounts.add('unix:root', { account: 'ada', role: 'admin', password: PASSWORD });
    await expect(accounts.update('ada', 'ada', { role: 'viewer' })).rejects.toThrow(
      'ada is the last enabled administrator',
    );
    await expect(accounts.update('ada', 'ada', { disabled: true })).rejects.toThrow(
      'ada is the last enabled administrator',
    );
    await accounts.add('ada', { account: 'bea', role: 'admin', password: PASSWORD });
    await accounts.update('bea', 'ada', { disabled: true });
    expect(accounts.list().map((a) => `${a.account} ${a.disabled}`)).toEqual([
      'ada true',
      'bea false',
    ]);
  });

  it("changes one's own password only with the current one, and gives a new session", async () => {
    open();
    await accounts.add('unix:root', { account: 'ada', role: 'viewer', password: PASSWORD });
    const first = await accounts.signIn('ada', PASSWORD, '10.0.0.1');
    if (!first.ok) throw new Error('sign-in failed');
    expect(
      await accounts.changeOwnPassword('ada', 'not the password', 'another long one', '10.0.0.1'),
    ).toBe('wrong');
    await expect(accounts.changeOwnPassword('ada', PASSWORD, 'short', '10.0.0.1')).rejects.toThrow(
      'newPassword must be at least 12 characters',
    );
    const changed = await accounts.changeOwnPassword(
      'ada',
      PASSWORD,
      'another long one',
      '10.0.0.1',
    );
    if (typeof changed === 'string' || 'ok' in changed) throw new Error(JSON.stringify(changed));
    expect(accounts.session(first.token)).toBeNull();
    expect(accounts.session(changed.token)?.user.account).toBe('ada');
    expect(accounts.history()[0]).toMatchObject({ actor: 'ada', action: 'password.changed' });
  });

  it('does not check the current password of a locked account: a borrowed session cannot guess it', async () => {
    const accounts = open();
    await accounts.add('root', { account: 'ada', role: 'admin', password: PASSWORD });
    const guesses: unknown[] = [];
    for (let i = 0; i < 5; i += 1) {
      guesses.push(
        await accounts.changeOwnPassword(
          'ada',
          `guess number ${i}!`,
          'a brand new one',
          '10.0.0.9',
        ),
      );
      // The next guess as soon as this address may make one (test/app/web-sign-in-guesses.test.ts
      // shows the waits).
      now += 2 * MINUTE;
    }
    expect(guesses.slice(0, 4)).toEqual(['wrong', 'wrong', 'wrong', 'wrong']);
    expect(guesses[4]).toMatchObject({ ok: false, reason: 'locked' });
    // The right password from that address now changes nothing and unlocks nothing.
    const right = await accounts.changeOwnPassword('ada', PASSWORD, 'a brand new one', '10.0.0.9');
    expect(right).toMatchObject({ ok: false, reason: 'locked' });
    const signIn = await accounts.signIn('ada', 'a brand new one', '10.0.0.2');
    expect(signIn).toMatchObject({ ok: false });
  });
});
