import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodianClient } from '../../src/app/custodian-client.js';
import { localCustodian } from '../../src/app/local-custodian.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { startConsoleServer, type ConsoleServer } from '../support/console-server.js';

const PASSWORD = 'correct horse battery';
const MARKUP = '<img src=x onerror="window.pwned=1">Night owls';
let browser: Browser;
let server: ConsoleServer;
let cabinet: { client: CustodianClient; close(): void };
let granted: number;

beforeAll(async () => {
  browser = await launchBrowser();
  // The whole console with the real sign-in: the password change is the real one.
  server = await startConsoleServer();
  for (const [account, role] of [
    ['maria', 'custodian'],
    ['pat', 'custodian'],
    ['vic', 'viewer'],
  ] as const) {
    await server.accounts.add('unix:test', { account, role, password: PASSWORD });
  }
  // The cabinet's records as the console server opens them (test/support/console-server.ts).
  cabinet = localCustodian(
    {
      database: join(server.dir, 'cabinet.db'),
      cabinetId: 'web-cab',
      slotCount: 8,
      pinPepperFile: join(server.dir, 'pin-pepper'),
      reader: {},
    },
    { account: 'seed', role: 'admin' },
  );
  const c = cabinet.client;
  await c.holders.add('Alice Example', { company: 'Acme' });
  await c.holders.add('Bob Builder', {});
  await c.keys.add('04A1B2C3', 1, 'K-01 Plant room', {});
  await c.keys.add('04A1B2C4', 2, 'K-02 Van', {});
  await c.keys.add('04A1B2C5', 3, 'K-03 Store', {});
  // A group a grant names: the page must say why it cannot be removed.
  granted = await c.groups.add('Granted crew');
  const set = await c.keySets.add('Stores');
  await c.grants.add({ groupId: granted, keySetId: set });
}, 60_000);
afterAll(async () => {
  cabinet.close();
  await browser.close();
  await server.close();
});

/** Signs in on the console's own page; every error the page logs is collected. */
async function signedIn(
  account: string,
  password: string,
  viewport?: { width: number; height: number },
) {
  const page = await openPage(browser, viewport);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url);
  await signIn(page, account, password);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  return { page, problems };
}

async function signIn(page: Page, account: string, password: string): Promise<void> {
  await page.getByLabel('Account').fill(account);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const overflow = (page: Page) =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

async function goToGroups(page: Page) {
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: 'Groups and key sets' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Groups and key sets' }).waitFor();
}

describe('groups, key sets and reason codes in Chromium', () => {
  it('a custodian creates a group, adds a member, makes a key set of two keys, adds and removes a reason code', async () => {
    const { page, problems } = await signedIn('maria', PASSWORD);
    await goToGroups(page);

    const addGroup = page.getByRole('form', { name: 'Add a group' });
    await addGroup.getByLabel('Group name').fill('Night crew');
    await addGroup.getByLabel('Loan limit in minutes').fill('240');
    await addGroup.getByRole('button', { name: 'Add group' }).click();
    await page.getByText('Group Night crew added.').waitFor();
    // The new group opens below the table: find a person and add them.
    const panel = page.getByRole('region', { name: 'Night crew' });
    await panel.getByLabel('Find a person to add').fill('acme');
    await panel.getByRole('button', { name: 'Find' }).click();
    await panel.getByRole('button', { name: 'Add Alice Example' }).click();
    await panel.getByText('Alice Example is now in Night crew.').waitFor();
    await panel
      .getByRole('table', { name: 'Members of Night crew' })
      .getByRole('cell', { name: 'Alice Example', exact: true })
      .waitFor();
    await page
      .getByRole('table', { name: 'Groups' })
      .getByRole('row', { name: /Night crew 1 240 min/ })
      .waitFor();

    const addSet = page.getByRole('form', { name: 'Add a key set' });
    await addSet.getByLabel('Key set name').fill('Vans');
    await addSet.getByRole('button', { name: 'Add key set' }).click();
    const vans = page.getByRole('region', { name: 'Vans' });
    for (const label of ['K-01 Plant room', 'K-02 Van']) {
      await vans.getByLabel('Key to add to Vans').selectOption(label);
      await vans.getByRole('button', { name: 'Add key' }).click();
      await page.getByText(`${label} is now in Vans.`).waitFor();
    }
    await vans.getByRole('list', { name: 'Keys in Vans' }).getByText('K-02 Van').waitFor();

    const addCode = page.getByRole('form', { name: 'Add a reason code' });
    await addCode.getByLabel('Code').fill('104');
    await addCode.getByLabel('Meaning').fill('Planned maintenance');
    await addCode.getByRole('button', { name: 'Add reason code' }).click();
    const codes = page.getByRole('table', { name: /Reason codes a holder types/ });
    await codes.getByRole('cell', { name: 'Planned maintenance' }).waitFor();
    await page.getByText('The cabinet takes only the codes listed here').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'console-groups');
    await page.evaluate("document.getElementById('key-sets-title').scrollIntoView()");
    await saveScreenshot(page, 'console-key-sets');
    await codes.getByRole('button', { name: 'Remove code 104' }).click();
    await page.getByText('Reason code 104 removed.').waitFor();
    // A tier that asks for a code takes any code once none is left: the page says so.
    await page
      .getByText('With no codes listed, the cabinet takes any code of 1 to 6 digits')
      .waitFor();

    // What the cabinet holds now, and who the event log says changed it.
    const c = cabinet.client;
    const crew = (await c.groups.list()).find((g) => g.name === 'Night crew');
    expect(crew?.maxLoanMinutes).toBe(240);
    expect(crew?.members.length).toBe(1);
    const keys = await c.keys.list();
    const set = (await c.keySets.list()).find((s) => s.name === 'Vans');
    expect(set?.keys.map((id) => keys.find((k) => k.id === id)?.label)).toEqual([
      'K-01 Plant room',
      'K-02 Van',
    ]);
    expect(await c.reasonCodes.list()).toEqual([]);
    const changes = (await c.events.recent(50))
      .filter((e) => e.type === 'policy.changed')
      .map((e) => e.data as { actor: { account: string }; entity: string });
    const mine = changes.filter((e) => e.actor.account === 'maria').map((e) => e.entity);
    expect(mine).toEqual([
      'group',
      'group_member',
      'key_set',
      'key_set_member',
      'key_set_member',
      'reason_code',
      'reason_code',
    ]);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('shows a group name with markup as text, and says why a group in use is not removed', async () => {
    const { page, problems } = await signedIn('maria', PASSWORD);
    await goToGroups(page);
    const addGroup = page.getByRole('form', { name: 'Add a group' });
    await addGroup.getByLabel('Group name').fill(MARKUP);
    await addGroup.getByRole('button', { name: 'Add group' }).click();
    await page
      .getByRole('table', { name: 'Groups' })
      .getByRole('button', { name: MARKUP })
      .waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();

    await page
      .getByRole('table', { name: 'Groups' })
      .getByRole('button', { name: 'Granted crew' })
      .click();
    const panel = page.getByRole('region', { name: 'Granted crew' });
    await panel.getByRole('button', { name: 'Remove the group Granted crew' }).click();
    await panel.getByRole('button', { name: 'Yes, remove Granted crew' }).click();
    await panel
      .getByRole('alert')
      .getByText(/is named by 1 grant\(s\); revoke them first/)
      .waitFor();
    expect((await cabinet.client.groups.list()).some((g) => g.id === granted)).toBe(true);

    // A duplicate name is refused by the server, which names what is wrong.
    await addGroup.getByLabel('Group name').fill('night CREW');
    await addGroup.getByRole('button', { name: 'Add group' }).click();
    await addGroup
      .getByRole('alert')
      .getByText(/a group name must be unique/)
      .waitFor();
    expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('an auditor sees the groups, members, key sets and codes, and no change controls, on a phone', async () => {
    const { page, problems } = await signedIn('vic', PASSWORD, { width: 390, height: 844 });
    await goToGroups(page);
    await page
      .getByRole('table', { name: 'Groups' })
      .getByRole('button', { name: 'Night crew' })
      .click();
    await page
      .getByRole('table', { name: 'Members of Night crew' })
      .getByRole('cell', { name: 'Alice Example' })
      .waitFor();
    await page
      .getByRole('table', { name: 'Key sets' })
      .getByRole('cell', { name: 'K-01 Plant room, K-02 Van' })
      .waitFor();
    for (const name of [/^Add /, /^Remove/, /^Take out/, /^Rename/, /^Find$/]) {
      expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    }
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-groups-phone');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('the rules page links to the groups page instead of listing them', async () => {
    const { page } = await signedIn('vic', PASSWORD);
    await page.goto(`${server.url}/#/rules`);
    await page.getByRole('heading', { name: 'Groups, key sets and reason codes' }).waitFor();
    await page.getByRole('link', { name: 'Groups and key sets' }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Groups and key sets' }).waitFor();
    await page.context().close();
  }, 90_000);
});

describe('My account in Chromium', () => {
  it('is in the header; changes my password after showing the rules, and I sign in with the new one', async () => {
    const { page, problems } = await signedIn('pat', PASSWORD, { width: 390, height: 844 });
    await page.getByRole('banner').getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    await page.getByText('Custodian: may change the cabinet').waitFor();
    await page.getByText('At least 12 characters').waitFor();
    const form = page.getByRole('form', { name: 'Change my password' });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-account-phone');

    await form.getByLabel('Current password').fill(PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill('a patently new passphrase');
    await form.getByLabel('New password again').fill('a patently new passphrasf');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('The two new passwords differ.').waitFor();
    await form.getByLabel('New password again').fill('a patently new passphrase');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByText('Your password was changed.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'pat', PASSWORD);
    await page.getByRole('alert').getByText('Wrong account or password.').waitFor();
    await signIn(page, 'pat', 'a patently new passphrase');
    // Signed in again, on the page the address names.
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('names a wrong current password (an auditor, 1280 wide)', async () => {
    const { page } = await signedIn('vic', PASSWORD);
    await page.getByRole('banner').getByRole('link', { name: 'My account' }).click();
    await page.getByText('Auditor: may read every page').waitFor();
    const form = page.getByRole('form', { name: 'Change my password' });
    await form.getByLabel('Current password').fill('not my password at all');
    await form.getByLabel('New password', { exact: true }).fill('vic wants a new one');
    await form.getByLabel('New password again').fill('vic wants a new one');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form
      .getByRole('alert')
      .getByText('currentPassword is wrong; nothing was changed')
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-account');
    await page.context().close();
  }, 90_000);
});
