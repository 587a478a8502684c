import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage } from '../../src/web/ui-assets.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

let browser: Browser;
let harness: WebHarness;
beforeAll(async () => {
  browser = await launchBrowser();
  harness = await startWebHarness({
    modules: () => [(app) => servePage(app, '/', { title: 'Keywarden', bundle: 'console' })],
  });
});
afterAll(async () => {
  await browser.close();
  await harness.close();
});

describe('a page shell in Chromium', () => {
  it('runs its bundle under the Content-Security-Policy with nothing refused', async () => {
    const page = await openPage(browser);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${harness.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Keywarden');
    expect(problems).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'shell');
    await page.context().close();
  });
});
