import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';
import { testCerts } from '../support/tls-certs.js';

const PASSWORD = 'correct horse battery';
let browser: Browser;
let server: ConsoleServer;
/** How far the accounts' clock is ahead of the real one: the waits after wrong passwords pass. */
let ahead = 0;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startConsoleServer({ accounts: { now: () => Date.now() + ahead } });
  for (const [account, role] of [
    ['ada', 'admin'],
    ['vic', 'viewer'],
    ['lou', 'custodian'],
  ] as const) {
    await server.accounts.add('unix:test', { account, role, password: PASSWORD });
  }
}, 60_000);
afterAll(async () => {
  await browser.close();
  await server.close();
});

async function signIn(page: Page, account: string, password: string): Promise<void> {
  await page.getByLabel('Account').fill(account);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Sideways scrolling a phone would need; 0 or less when the page fits. */
const overflow = (page: Page) =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

describe('the sign-in page in Chromium', () => {
  it('refuses a wrong password, signs in with the right one, into an HttpOnly SameSite=Strict cookie', async () => {
    const page = await openPage(browser);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Keywarden' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sign-in');
    await signIn(page, 'ada', 'not the password');
    await page.getByRole('alert').getByText('Wrong account or password.').waitFor();
    await signIn(page, 'ada', PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('.who').textContent()).toBe('ada · Administrator');
    const cookies = await page.context().cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({
      name: 'kw_session',
      httpOnly: true,
      sameSite: 'Strict',
      secure: false,
      path: '/',
    });
    // No script reads it, an injected one included.
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone 390 px wide', async () => {
    const page = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'sign-in-phone');
    await page.context().close();
  });

  it('slows, then locks out, an address that keeps typing wrong passwords, and says for how long', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.url}/`);
    // Each try waits for the last one's answer: the button reads "Signing in…" until then.
    for (let i = 1; i <= 3; i++) {
      await signIn(page, 'lou', `wrong password ${i}`);
      await page.getByText('Wrong account or password.').waitFor();
    }
    await signIn(page, 'lou', 'wrong password 4');
    await page.getByText('Too many wrong passwords: try again in 10 seconds.').waitFor();
    await saveScreenshot(page, 'sign-in-slowed');
    ahead += 10_000;
    await signIn(page, 'lou', 'wrong password 4');
    await page.getByText('Wrong account or password.').waitFor();
    ahead += 60_000;
    await signIn(page, 'lou', 'wrong password 5');
    await page
      .getByText('Too many wrong passwords from this address: locked for 15 more minutes.')
      .waitFor();
    await signIn(page, 'lou', PASSWORD);
    await page.getByText(/from this address: locked for 1[45] more minutes/).waitFor();
    await saveScreenshot(page, 'sign-in-locked');
    expect(server.accounts.list().find((a) => a.account === 'lou')?.lockedUntil).not.toBeNull();
    await page.context().close();
  });

  it('lets an administrator add and change accounts on the accounts page', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.url}/#/accounts`);
    await signIn(page, 'ada', PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await page.getByRole('cell', { name: 'vic', exact: true }).waitFor();
    const form = page.getByRole('form', { name: 'Add an account' });
    await form.getByLabel('Account').fill('sam');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('password must be at least 12 characters (it has 5)').waitFor();
    await form.getByLabel('Password').fill('sams own passphrase');
    await form.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('sam added.').waitFor();
    await page.getByRole('button', { name: 'Change sam' }).click();
    const edit = page.getByRole('form', { name: 'Change sam' });
    await edit.getByLabel('Role').selectOption('custodian');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText('sam changed; their sessions have ended.').waitFor();
    expect(server.accounts.list().find((a) => a.account === 'sam')?.role).toBe('custodian');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'accounts');
    await page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(page, 'accounts-phone');
    await page.context().close();
  });

  it("shows an auditor no change to make, and the API refuses the auditor's changes", async () => {
    const page = await openPage(browser);
    await page.goto(`${server.url}/#/accounts`);
    await signIn(page, 'vic', PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getByRole('link', { name: 'Accounts' }).count()).toBe(0);
    // What a tampered page could still send: the right session and CSRF token, a change.
    const answer = await page.evaluate<{ status: number; body: { error: string } }>(`(async () => {
      const session = await (await fetch('/api/session')).json();
      const response = await fetch('/api/accounts/vic', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ role: 'admin' }),
      });
      return { status: response.status, body: await response.json() };
    })()`);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('FORBIDDEN');
    expect(server.accounts.list().find((a) => a.account === 'vic')?.role).toBe('viewer');
    await page.context().close();
  });

  it('refuses a change without the CSRF token, and one sent from another site', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.url}/`);
    await signIn(page, 'ada', PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const noToken = await page.evaluate<{ status: number; error: string }>(`(async () => {
      const response = await fetch('/api/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ account: 'mallory', role: 'admin', password: 'mallory was here!' }),
      });
      return { status: response.status, error: (await response.json()).error };
    })()`);
    expect(noToken).toEqual({ status: 403, error: 'CSRF' });
    // Another site (localhost is not 127.0.0.1), a page of its own with no CSP, posting to the
    // console in the same browser while the administrator is signed in.
    const site = createServer((_req, res) => res.end('<!doctype html><title>prize</title>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const address = site.address() as AddressInfo;
    const evil = await page.context().newPage();
    await evil.goto(`http://localhost:${address.port}/`);
    // The request reaches the server (a no-cors POST needs no preflight); the answer is kept from
    // the page (Cross-Origin-Resource-Policy), and what matters is that nothing changed.
    const crossSite = await evil.evaluate<string>(`(async () => {
      const response = await fetch('${server.url}/api/accounts', {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ account: 'mallory', role: 'admin', password: 'mallory was here!' }),
      });
      return 'answered ' + response.status;
    })().catch((error) => 'refused: ' + error.message)`);
    expect(crossSite).toBe('refused: Failed to fetch');
    site.close();
    expect(server.accounts.list().some((a) => a.account === 'mallory')).toBe(false);
    await page.context().close();
  });
});

describe('the console under TLS', () => {
  it('sets the session cookie Secure', async () => {
    const certs = testCerts();
    const tls = await startConsoleServer({ tls: { cert: certs.serverCert, key: certs.serverKey } });
    try {
      await tls.accounts.add('unix:test', { account: 'ada', role: 'admin', password: PASSWORD });
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(`${tls.url}/`);
      await signIn(page, 'ada', PASSWORD);
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      expect(await context.cookies()).toEqual([
        expect.objectContaining({
          name: 'kw_session',
          secure: true,
          httpOnly: true,
          sameSite: 'Strict',
        }),
      ]);
      await context.close();
    } finally {
      await tls.close();
    }
  });
});
