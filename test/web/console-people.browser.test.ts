import BetterSqlite3 from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewAndPeopleModules } from '../../src/web/routes/overview-and-people.js';
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
    console: true,
    modules: (clientFor, user) => overviewAndPeopleModules(clientFor, user),
  });
  const admin = harness.clientFor({ account: 'carol', role: 'admin' });
  for (let i = 1; i <= 40; i++) await admin.holders.add(`Staff ${String(i).padStart(2, '0')}`);
  await admin.keys.add('A000000001', 1, 'Van keys');
  await admin.keys.add('A000000002', 2, 'Plant room');
});
afterAll(async () => {
  await browser.close();
  await harness.close();
});

describe("the console's people", () => {
  it('adds a contractor with an end date, a card and a key; People shows them, then "expired" once it has ended', async () => {
    harness.signIn({ account: 'maria', role: 'custodian' });
    const page = await openPage(browser, { width: 1280, height: 900 });
    await page.goto(`${harness.url}/#/contractor`);
    await page.getByRole('heading', { level: 1, name: 'Contractor' }).waitFor();
    await page.getByLabel('Name').fill('Carl Contractor');
    await page.getByLabel('Company').fill('Sparks & Co');
    await page.getByLabel('Card number').fill('0000CC01');
    await page.getByLabel('Until (cabinet time)').fill('2099-06-30T17:00');
    await page.getByLabel('Van keys (slot 1)').check();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-contractor');
    await page.getByRole('button', { name: 'Add contractor' }).click();
    await page.getByText(/Carl Contractor \(Sparks & Co\) added: access until .*2099/).waitFor();

    await page.goto(`${harness.url}/#/people`);
    await page.getByLabel('Name, company or card').fill('sparks');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row', { name: /Carl Contractor/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/2099/);
    expect(await row.locator('.badge-expired').count()).toBe(0);

    // Time passes (the end moved into the past, as the clock would): the access ended by itself.
    const db = new BetterSqlite3(harness.database);
    db.prepare("UPDATE holders SET valid_until = '2020-01-01T00:00:00.000Z' WHERE name = ?").run(
      'Carl Contractor',
    );
    db.close();
    await page.getByRole('button', { name: 'Search' }).click();
    await row.locator('.badge-expired').waitFor();
    await page.context().close();
  });

  it('searches and pages 40 people, and opens one; axe clean; fits a phone', async () => {
    harness.signIn({ account: 'maria', role: 'custodian' });
    const page = await openPage(browser, { width: 1280, height: 900 });
    await page.goto(`${harness.url}/#/people`);
    await page.getByText('1–25 of 41').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('26–41 of 41').waitFor();
    await page.getByRole('button', { name: 'Staff 40' }).click();
    await page.getByRole('heading', { name: 'Staff 40' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-people');
    await page.context().close();

    const phone = await openPage(browser, { width: 390, height: 844 });
    await phone.goto(`${harness.url}/#/people`);
    await phone.getByText('1–25 of 41').waitFor();
    const overflow = await phone.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(phone, 'console-people-phone');
    await phone.context().close();
  });
  it('says "of more than 1,000" when the server stops counting, and still pages on', async () => {
    // Added last: the tests above count the 41 people.
    const db = new BetterSqlite3(harness.database);
    const add = db.prepare('INSERT INTO holders (name, created_at) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 1_000; i++) {
        add.run(`Temp ${String(i).padStart(4, '0')}`, '2026-01-01T00:00:00.000Z');
      }
    })();
    db.close();
    harness.signIn({ account: 'vic', role: 'viewer' });
    const page = await openPage(browser, { width: 1280, height: 900 });
    await page.goto(`${harness.url}/#/people`);
    await page.getByText('1–25 of more than 1,000').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('26–50 of more than 1,000').waitFor();
    // A narrower search is counted exactly again.
    await page.getByLabel('Name, company or card').fill('temp 09');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1–25 of 100').waitFor();
    await page.getByLabel('Name, company or card').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1–25 of more than 1,000').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The count is below the table: in the picture.
    await page.getByRole('navigation', { name: 'Pages' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'console-people-more-than');
    await page.context().close();

    const phone = await openPage(browser, { width: 390, height: 844 });
    await phone.goto(`${harness.url}/#/people`);
    await phone.getByText('1–25 of more than 1,000').waitFor();
    const overflow = await phone.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.getByRole('navigation', { name: 'Pages' }).scrollIntoViewIfNeeded();
    await saveScreenshot(phone, 'console-people-more-than-phone');
    await phone.context().close();
  });
});
