import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { keysAndRecordsModules } from '../../src/web/routes/keys-and-records.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { seedKeysAndRecords } from '../support/keys-records-seed.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

let browser: Browser;
let harness: WebHarness;
let seeded: Awaited<ReturnType<typeof seedKeysAndRecords>>;
beforeAll(async () => {
  browser = await launchBrowser();
  harness = await startWebHarness({
    console: true,
    modules: (clientFor) =>
      keysAndRecordsModules(clientFor, { cabinetId: 'web-cab', policy: DEFAULT_CONFIG.policy }),
  });
  seeded = await seedKeysAndRecords(harness);
});
afterAll(async () => {
  await browser.close();
  await harness.close();
});

/** A page of the console, with every error the page logs collected. */
async function open(path: string, viewport?: { width: number; height: number }) {
  const page = await openPage(browser, viewport);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${harness.url}/#${path}`);
  return { page, problems };
}

const overflow = (page: Page) =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

describe('the keys page', () => {
  it('lists the keys and marks one lost with a reason, recorded under the custodian', async () => {
    harness.signIn({ account: 'carol', role: 'custodian' });
    const { page, problems } = await open('/keys');
    await page.getByRole('cell', { name: 'K-02 Van' }).waitFor();
    await page.getByLabel('Key', { exact: true }).selectOption({ label: 'K-02 Van' });
    await page.getByLabel('New state').selectOption('lost');
    await page.getByLabel('Reason').fill('dropped on the motorway');
    await page.getByRole('button', { name: 'Change state' }).click();
    await page.getByText('K-02 Van is now lost.').waitFor();
    const row = page.getByRole('row', { name: /K-02 Van/ });
    await row.getByText('lost').waitFor();
    const keys = await harness.clientFor({ account: 'ada', role: 'admin' }).keys.list();
    expect(keys.find((k) => k.id === seeded.van)?.state).toBe('lost');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-keys');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('offers an auditor no change, and fits a phone', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page } = await open('/keys', { width: 390, height: 844 });
    await page.getByRole('cell', { name: 'K-01 Plant room' }).waitFor();
    expect(await page.getByRole('button', { name: 'Change state' }).count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-keys-phone');
    await page.context().close();
  });
});

describe('the rules page', () => {
  it('shows tiers, policy settings and the access matrix by name, linking to the schedules', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page, problems } = await open('/rules');
    const matrix = page.getByRole('table', { name: /Who may take which key/ });
    await matrix.waitFor();
    // Alice may take the plant room key directly, Bob the van through his group's grant.
    const alice = matrix.getByRole('row', { name: /Alice Example/ });
    expect(await alice.locator('td.allowed').count()).toBe(1);
    expect(await alice.locator('td.allowed').getAttribute('title')).toBe('direct');
    const bob = matrix.getByRole('row', { name: /Bob Builder/ });
    expect(await bob.locator('td.allowed').getAttribute('title')).toMatch(
      /grant \d+ to group "Night crew" on key set "Vans", Weekdays/,
    );
    expect(
      await matrix
        .getByRole('row', { name: /Cat Carpenter/ })
        .locator('td.allowed')
        .count(),
    ).toBe(0);
    // The schedules have a page of their own (console-access.browser.test.ts): linked from here.
    const schedules = page.getByRole('region', { name: /Weekly schedules, permissions/ });
    await schedules.getByText('1 weekly schedule').waitFor();
    expect(await schedules.getByRole('link', { name: 'Schedules' }).getAttribute('href')).toBe(
      '#/schedules',
    );
    await page.getByRole('cell', { name: 'Overdue key blocks taking' }).waitFor();
    await page.getByText('set in the configuration file').waitFor();
    expect(await page.getByRole('heading', { name: /Change a tier/ }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-rules');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("lets an administrator change a tier's rule", async () => {
    harness.signIn({ account: 'ada', role: 'admin' });
    const { page } = await open('/rules');
    await page.getByRole('heading', { name: /Change a tier/ }).waitFor();
    await page.getByRole('combobox', { name: 'Tier' }).selectOption('change');
    // The box shows the rule as stored: it turns once the server has changed it.
    await page.getByRole('checkbox', { name: 'PIN' }).click();
    await page.getByText("The change tier's rule was changed.").waitFor();
    const tiers = await harness.clientFor({ account: 'ada', role: 'admin' }).tiers.list();
    expect(tiers.find((t) => t.tier === 'change')?.pin).toBe(true);
    await page.context().close();
  });

  it('pages the access matrix on a phone without sideways scrolling of the page', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page } = await open('/rules', { width: 390, height: 844 });
    await page.getByRole('table', { name: /Who may take which key/ }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-rules-phone');
    await page.context().close();
  });
});
