import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';

let browser: Browser;
let harness: WebHarness;
beforeAll(async () => {
  browser = await launchBrowser();
  // The console's own pages' routes, so the overview the shell opens on reads without a 404.
  harness = await startWebHarness({
    modules: (clientFor, user) => overviewAndPeopleModules(clientFor, user),
    console: true,
  });
});
afterAll(async () => {
  await browser.close();
  await harness.close();
});

describe("the console's shell", () => {
  it('shows who is signed in, the cabinet and the pages their role may see', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const page = await openPage(browser);
    // A script or style the Content-Security-Policy refused, or a file not found, shows here.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${harness.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('.who').textContent()).toBe('vic · Auditor');
    expect(problems).toEqual([]);
    expect(await page.locator('.cabinet-name').textContent()).toBe('web-cab');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('fits a phone 390 px wide without sideways scrolling', async () => {
    harness.signIn({ account: 'carol', role: 'custodian' });
    const page = await openPage(browser, { width: 390, height: 844 });
    await page.goto(`${harness.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // A string, evaluated in the page: the tests are type-checked without the DOM's types.
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'console-shell-phone');
    await page.context().close();
  });
});
