import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWebAccounts } from '../../src/app/web-accounts/web-accounts.js';
import type { SecretInput } from '../../src/cli/read-secret.js';
import { silentLogger } from '../../src/log/logger.js';
import { runCli } from '../support/run-cli.js';

const piped = (text: string) => Readable.from([text]) as unknown as SecretInput;
const PASSWORD = 'correct horse battery';

let dir: string;
let config: string;
let database: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-web-user-'));
  config = join(dir, 'config.json');
  database = join(dir, 'web', 'web.db');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'cli-cab',
      profile: 'sim',
      database: join(dir, 'cabinet.db'),
      mqtt: { allowPlainText: true },
      web: { accountsDatabase: database },
    }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], stdin?: string) =>
  runCli([...args, '--config', config], stdin === undefined ? undefined : piped(stdin));

/** Whether the console would let `account` in with `password` now. */
async function signsIn(account: string, password: string): Promise<string> {
  const accounts = openWebAccounts(database, { logger: silentLogger() });
  try {
    const result = await accounts.signIn(account, password, '127.0.0.1');
    return result.ok ? `in as ${result.user.role}` : result.reason;
  } finally {
    accounts.close();
  }
}

// The command line hashes at the console's real cost (64 MiB, ~0.2 s idle; seconds under load).
describe('keywarden web-user', { timeout: 60_000 }, () => {
  it('adds the first administrator from a pipe, who can then sign in to the console', async () => {
    expect((await cli(['web-user', 'list'])).out).toContain('no web accounts yet');
    const added = await cli(
      ['web-user', 'add', 'ada', '--role', 'admin'],
      `${PASSWORD}\n${PASSWORD}\n`,
    );
    expect(added).toMatchObject({ code: 0, out: 'web account ada added (Administrator)' });
    const once = await cli(
      ['web-user', 'add', 'vic', '--role', 'viewer', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(once.out).toBe('web account vic added (Auditor)');
    expect(await signsIn('ada', PASSWORD)).toBe('in as admin');
    const list = await cli(['web-user', 'list', '--json']);
    expect(JSON.parse(list.out)).toMatchObject([
      { account: 'ada', role: 'admin', disabled: false },
      { account: 'vic', role: 'viewer', disabled: false },
    ]);
    const accounts = openWebAccounts(database, { logger: silentLogger() });
    expect(accounts.history()[1]).toMatchObject({ action: 'account.added', account: 'ada' });
    expect(accounts.history()[1]?.actor).toMatch(/^unix:/);
    accounts.close();
  });

  it('refuses a bad name, role or password, naming it, and adds nothing', async () => {
    const cases: [string[], string, RegExp][] = [
      [
        ['web-user', 'add', 'ada', '--role', 'boss'],
        `${PASSWORD}\n${PASSWORD}\n`,
        /role must be one of/,
      ],
      [
        ['web-user', 'add', 'a d', '--role', 'admin'],
        `${PASSWORD}\n${PASSWORD}\n`,
        /account must be/,
      ],
      [['web-user', 'add', 'ada', '--role', 'admin'], 'short\nshort\n', /at least 12 characters/],
      [['web-user', 'add', 'ada', '--role', 'admin'], `${PASSWORD}\nsomething else\n`, /differ/],
      [['web-user', 'add', 'ada'], `${PASSWORD}\n${PASSWORD}\n`, /--role is required/],
      [['web-user', 'add', 'ada', '--role', 'admin'], '', /no password on standard input/],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await cli(args, stdin);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
    expect((await cli(['web-user', 'list'])).out).toContain('no web accounts yet');
  });

  it('disables, enables, sets a password and a role, and keeps the last administrator', async () => {
    await cli(['web-user', 'add', 'ada', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`);
    await cli(
      ['web-user', 'add', 'bob', '--role', 'custodian', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect((await cli(['web-user', 'disable', 'bob'])).out).toBe('web account bob disabled');
    expect(await signsIn('bob', PASSWORD)).toBe('disabled');
    expect((await cli(['web-user', 'list'])).out).toMatch(/bob\s+Custodian\s+disabled/);
    expect((await cli(['web-user', 'enable', 'bob'])).out).toBe('web account bob enabled');
    const passwd = await cli(
      ['web-user', 'passwd', 'bob', '--password-stdin'],
      'a whole new passphrase\n',
    );
    expect(passwd.out).toBe('password of web account bob set; its sessions ended');
    expect(await signsIn('bob', PASSWORD)).toBe('wrong');
    expect(await signsIn('bob', 'a whole new passphrase')).toBe('in as custodian');
    expect((await cli(['web-user', 'role', 'bob', 'viewer'])).out).toBe(
      'web account bob is now Auditor',
    );
    const last = await cli(['web-user', 'disable', 'ada']);
    expect(last.code).not.toBe(0);
    expect(last.err).toContain('ada is the last enabled administrator');
    const missing = await cli(
      ['web-user', 'passwd', 'nobody', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(missing.err).toContain('no web account "nobody"');
  });

  it('lists an account some address is locked out of as enabled, with until when', async () => {
    await cli(['web-user', 'add', 'ada', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`);
    // A clock that the guesser's waits move on, so it reaches the lock without real waiting.
    let now = Date.now();
    const accounts = openWebAccounts(database, { logger: silentLogger(), now: () => now });
    try {
      let reason = '';
      for (let tries = 0; tries < 20 && reason !== 'locked'; tries += 1) {
        const result = await accounts.signIn('ada', 'not the password', '192.0.2.9');
        reason = result.ok ? 'in' : result.reason;
        if (reason === 'slowed' && !result.ok && 'retryAfterMs' in result) {
          now += result.retryAfterMs;
        }
      }
      expect(reason).toBe('locked');
    } finally {
      accounts.close();
    }
    expect((await cli(['web-user', 'list'])).out).toMatch(
      /ada\s+Administrator\s+enabled; an address locked out until \d{4}-/,
    );
    // The owner, from another address, still signs in.
    expect(await signsIn('ada', PASSWORD)).toBe('in as admin');
  });
});
