import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { ConsoleCabinet } from '../support/console-cabinet.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

let browser: Browser;
let harness: WebHarness;
let cabinet: ConsoleCabinet;
let alice: number;
beforeAll(async () => {
  browser = await launchBrowser();
  harness = await startWebHarness({
    console: true,
    modules: (clientFor, user) => overviewAndPeopleModules(clientFor, user),
  });
  const admin = harness.clientFor({ account: 'carol', role: 'admin' });
  alice = await admin.holders.add('Alice <b>Example</b>');
  await admin.keys.add('A000000001', 1, 'Van keys');
  await admin.keys.add('A000000002', 2, 'Plant room');
  await admin.keys.add('A000000003', 3, 'Server room');
  cabinet = new ConsoleCabinet(harness.database);
});
afterAll(async () => {
  await browser.close();
  cabinet.close();
  await harness.close();
});

describe("the console's overview", () => {
  it('updates live when a key is taken, with no reload, and shows an overdue key', async () => {
    harness.signIn({ account: 'maria', role: 'custodian' });
    const page = await openPage(browser);
    // The page's own reads of the overview: its first one only; the stream brings the rest.
    const reads: string[] = [];
    page.on('request', (request) => {
      if (/\/api\/(overview\/slots|alarms)/.test(request.url())) reads.push(request.url());
    });
    await page.goto(`${harness.url}/`);
    const van = page.locator('.slot', { hasText: 'Van keys' });
    await van.getByText('Hanging here').waitFor();
    // Taken at the cabinet (recorded as the daemon records it): the page follows by itself.
    cabinet.take(
      { keyId: 1, keyLabel: 'Van keys', slot: 1 },
      { holderId: alice, holderName: 'Alice <b>Example</b>' },
      new Date(Date.now() - 60_000).toISOString(),
    );
    await van.getByText('Out with Alice <b>Example</b>').waitFor();
    expect(reads).toHaveLength(2);
    // The name is text: no element was made from it.
    expect(await page.locator('.slot b').count()).toBe(0);
    await van.locator('.is-overdue').waitFor();
    expect(await van.getAttribute('class')).toContain('overdue');
    await page.context().close();
  });

  it('acknowledges an alarm with a note, shown as acknowledged; axe clean at desktop width', async () => {
    harness.signIn({ account: 'maria', role: 'custodian' });
    const page = await openPage(browser, { width: 1280, height: 900 });
    await page.goto(`${harness.url}/`);
    await page.getByRole('heading', { name: /Slots/ }).waitFor();
    cabinet.record({ type: 'door.held_open', data: { heldOpenSeconds: 20 } });
    const alarm = page.locator('.alarm', { hasText: 'Door held open' });
    await alarm.waitFor();
    await alarm.getByLabel('Note').fill('A trolley wedged the door; closed it.');
    await alarm.getByRole('button', { name: 'Acknowledge' }).click();
    await alarm.getByText(/Acknowledged by maria/).waitFor();
    expect(await alarm.textContent()).toContain('A trolley wedged the door; closed it.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-overview');
    await page.context().close();
  });

  it('fits a phone 390 px wide', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const page = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${harness.url}/`);
    await page.getByRole('heading', { name: /Slots/ }).waitFor();
    // A viewer sees the alarms but no acknowledge form.
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'console-overview-phone');
    await page.context().close();
  });
});
