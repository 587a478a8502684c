import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../src/app/web-accounts/sign-in-throttle.js';
import { openWebAccounts, type WebAccounts } from '../../src/app/web-accounts/web-accounts.js';
import { silentLogger } from '../../src/log/logger.js';
import { TEST_PASSWORD_COST } from '../support/console-server.js';

/**
 * The sign-in's limits look at the wrong passwords already counted; a password being checked is
 * counted only once its check ends. A burst sent together therefore passed every limit that is
 * not one check at a time per account and address: one address guessing many names got 30
 * checks where 20 are allowed, and 30 addresses at once took an account 29 guesses past its
 * daily ceiling.
 */
const PASSWORD = 'correct horse battery';
const START = Date.parse('2026-12-07T09:00:00Z');

let dir: string;
let accounts: WebAccounts;
let now = START;

async function withAda(): Promise<WebAccounts> {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-burst-'));
  accounts = openWebAccounts(join(dir, 'web.db'), {
    logger: silentLogger(),
    now: () => now,
    passwordCost: TEST_PASSWORD_COST,
  });
  await accounts.add('unix:root', { account: 'ada', role: 'custodian', password: PASSWORD });
  return accounts;
}

afterEach(() => {
  accounts.close();
  rmSync(dir, { recursive: true, force: true });
  now = START;
});

const checked = (results: ReadonlyArray<{ ok: boolean; reason?: string }>) =>
  results.filter((r) => !r.ok && (r.reason === 'wrong' || r.reason === 'locked')).length;

describe('a burst of sign-ins sent together', () => {
  it('from one address, many names: no more passwords checked than the address may try', async () => {
    await withAda();
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        accounts.signIn(i === 0 ? 'ada' : `name${i}`, `wrong ${i}`, '10.6.6.6'),
      ),
    );
    expect(checked(burst)).toBeLessThanOrEqual(DEFAULT_THROTTLE.addressFailures);
    // Refused, not lost: each is told to come back.
    for (const result of burst) expect(result.ok).toBe(false);
  });

  it('from many addresses, one account at its ceiling: one check past it, not a burst', async () => {
    await withAda();
    const ceiling = DEFAULT_THROTTLE.accountCeiling;
    for (let i = 1; i < ceiling; i++) {
      await accounts.signIn('ada', `wrong ${i}`, `10.1.${i >> 8}.${i & 255}`);
    }
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => accounts.signIn('ada', `burst ${i}`, `10.2.0.${i + 1}`)),
    );
    // The ceiling's own guess, and nothing more until its spacing has passed.
    expect(checked(burst)).toBe(1);
  });

  it('from many addresses, filling the line of hashes: the owner at a known address still signs in', async () => {
    await withAda();
    const home = '192.168.1.20';
    expect(await accounts.signIn('ada', PASSWORD, home)).toMatchObject({ ok: true });
    // 2 hashes run and 32 wait: a flood from fresh addresses (an IPv6 prefix has plenty) keeps
    // the line full, and every other sign-in is answered BUSY.
    const flood = Array.from({ length: 40 }, (_, i) =>
      accounts.signIn('ada', `flood ${i}`, `2001:db8::${(i + 1).toString(16)}`),
    );
    const owner = accounts.signIn('ada', PASSWORD, home);
    const [answers, own] = await Promise.all([Promise.all(flood), owner]);
    expect(answers.some((a) => !a.ok && a.reason === 'busy')).toBe(true);
    expect(own).toMatchObject({ ok: true });
  });
});
