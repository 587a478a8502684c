import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CARDS } from '../../src/daemon/demo-data.js';
import { hashPin } from '../../src/store/pin-hash.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { startScreenDaemon, type ScreenDaemon } from '../support/screen-daemon.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The cabinet screen in Chromium at the Pi's 800×480 (and 1280×720), served by the running
 * demo daemon on its loopback port, driven as a person at the cabinet would: a badge at the
 * simulated reader, taps on the screen. One daemon in the ordinary mode, one in pick-the-keys.
 */
let browser: Browser;
let cabinet: ScreenDaemon;
let picking: ScreenDaemon;
let page: Page;
const PI = { width: 800, height: 480 };
const HD = { width: 1280, height: 720 };

beforeAll(async () => {
  [browser, cabinet, picking] = await Promise.all([
    launchBrowser(),
    startScreenDaemon(),
    startScreenDaemon({ pickKeys: true }),
  ]);
  page = await openPage(browser, PI);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
  await page.goto(`${cabinet.url}/cabinet`);
  await page.getByRole('heading', { name: 'Present your badge' }).waitFor();
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([cabinet?.stop(), picking?.stop()]);
});

const slot = (p: Page, n: number) => p.locator('.slot').nth(n - 1);

describe('the cabinet screen', () => {
  it('idle: present your badge, nothing else; no serious accessibility finding', async () => {
    expect(await page.locator('main').innerText()).not.toMatch(/Alice|Bob|K-0/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'cabinet-idle');
  });

  it('after a badge: the name, the keys to take lit on the drawing, the relock countdown', async () => {
    cabinet.daemon.sim!.badge(DEMO_CARDS.alice);
    await page.getByRole('heading', { name: 'Alice Example' }).waitFor();
    for (const n of [1, 2, 3, 4, 5, 6]) {
      await expect.poll(() => slot(page, n).getAttribute('class')).toContain('take');
    }
    await expect.poll(() => slot(page, 7).getAttribute('class')).toContain('dark');
    expect(await page.locator('.take-list').innerText()).toContain('K-01 (slot 1)');
    expect(await page.getByRole('timer').innerText()).toMatch(/\d+ s until it locks/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'cabinet-session');
    await page.setViewportSize(HD);
    await saveScreenshot(page, 'cabinet-session-1280');
    await page.setViewportSize(PI);
    await cabinet.endSession();
  });

  it('a refusal in plain words, without the card holder’s name', async () => {
    cabinet.daemon.sim!.badge(DEMO_CARDS.carol);
    await page.getByRole('heading', { name: 'Not opened' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('Your access is disabled. Ask a custodian.');
    expect(text).not.toContain('Carol');
    await saveScreenshot(page, 'cabinet-refused');
  });

  it('with a PIN: the on-screen pad shows dots, never digits, and grants', async () => {
    cabinet.sql(
      'UPDATE credentials SET pin_required = 1, pin_hash = ? WHERE card = ?',
      await hashPin('2468', { N: 1024, r: 8, p: 1 }),
      DEMO_CARDS.bob,
    );
    cabinet.daemon.sim!.badge(DEMO_CARDS.bob);
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor();
    for (const digit of '24') await page.getByRole('button', { name: digit, exact: true }).click();
    await waitFor(async () => (await page.locator('.dots').innerText()) === '●●', 'two dots');
    for (const digit of '68') await page.getByRole('button', { name: digit, exact: true }).click();
    await waitFor(async () => (await page.locator('.dots').innerText()) === '●●●●', 'four dots');
    expect(await page.locator('main').innerText()).not.toContain('2468');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'cabinet-pin');
    await page.getByRole('button', { name: 'OK' }).click();
    await page.locator('.slot.take').first().waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bob Example');
    await cabinet.endSession();
    cabinet.sql('UPDATE credentials SET pin_required = 0 WHERE card = ?', DEMO_CARDS.bob);
  });

  it('with two people: waiting for a second authoriser, with the time left', async () => {
    cabinet.sql(
      "UPDATE tier_rules SET authorisers = 1, pin = 0, reason_code = 0 WHERE tier = 'master'",
    );
    cabinet.sql("UPDATE keys SET tier = 'master' WHERE home_slot = 1");
    cabinet.daemon.sim!.badge(DEMO_CARDS.alice);
    await page.getByRole('heading', { name: 'Waiting for a second person to authorise' }).waitFor();
    await expect.poll(() => slot(page, 1).getAttribute('class')).toContain('waiting');
    await expect.poll(() => slot(page, 2).getAttribute('class')).toContain('take');
    expect(await page.getByRole('timer').first().innerText()).toMatch(/\d+ s left/);
    // Bob may not take K-01, so he cannot authorise it; the screen says so, without his name.
    cabinet.daemon.sim!.badge(DEMO_CARDS.bob);
    await page.getByText('That card may not authorise these keys.').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Bob');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'cabinet-two-person');
    await cabinet.endSession();
    cabinet.sql('UPDATE keys SET tier = NULL WHERE home_slot = 1');
  });

  it('a reason code picked from the site’s list on the screen', async () => {
    cabinet.sql(
      "UPDATE tier_rules SET authorisers = 0, pin = 0, reason_code = 1 WHERE tier = 'change'",
    );
    cabinet.sql("UPDATE keys SET tier = 'change' WHERE home_slot = 2");
    cabinet.sql(
      "INSERT INTO reason_codes (code, description) VALUES ('11', 'Maintenance'), ('12', 'Lock-out call')",
    );
    cabinet.daemon.sim!.badge(DEMO_CARDS.alice);
    await page.getByRole('heading', { name: 'Why do you need this key?' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'cabinet-reason');
    await page.getByRole('button', { name: '12 Lock-out call' }).click();
    await page.getByRole('heading', { name: 'Alice Example' }).waitFor();
    await expect.poll(() => slot(page, 2).getAttribute('class')).toContain('take');
    const granted = cabinet.daemon.eventLog.recent(5).filter((e) => e.type === 'access.granted');
    expect(granted.at(-1)?.data).toMatchObject({ reasonCode: '12' });
    await cabinet.endSession();
  });

  it('pick-the-keys: only the slots tapped and released open', async () => {
    const pick = await openPage(browser, PI);
    await pick.goto(`${picking.url}/cabinet`);
    await pick.getByRole('heading', { name: 'Present your badge' }).waitFor();
    picking.daemon.sim!.badge(DEMO_CARDS.alice);
    await pick.getByRole('button', { name: 'Slot 2, K-02' }).click();
    await pick.getByRole('button', { name: 'Slot 5, K-05' }).click();
    await pick.getByRole('button', { name: 'Release 2 keys' }).waitFor();
    expect(picking.energised()).toEqual([]);
    expect(await seriousAccessibilityViolations(pick)).toEqual([]);
    await saveScreenshot(pick, 'cabinet-pick');
    await pick.getByRole('button', { name: 'Release 2 keys' }).click();
    await waitFor(() => picking.energised().length === 2, 'the two picked slots to release');
    expect(picking.energised()).toEqual([2, 5]);
    await expect.poll(() => slot(pick, 2).getAttribute('class')).toContain('take');
    await expect.poll(() => slot(pick, 1).getAttribute('class')).toContain('offered');
    await pick.setViewportSize(HD);
    await saveScreenshot(pick, 'cabinet-pick-1280');
    await pick.context().close();
  });

  it('a page loaded while eight streams are held gets one; the page whose stream ended comes back by itself', async () => {
    const holders = Array.from({ length: 7 }, () => new AbortController());
    // The first page holds the oldest stream; seven more fill the bound.
    await Promise.all(
      holders.map((c) => fetch(`${cabinet.url}/api/cabinet/stream`, { signal: c.signal })),
    );
    const late = await openPage(browser, PI);
    await late.goto(`${cabinet.url}/cabinet`);
    await late.getByRole('heading', { name: 'Present your badge' }).waitFor();
    // The oldest stream, the first page's, was the one ended: it says so, then reconnects
    // (ending the oldest of the held ones) and shows the cabinet again.
    const lost = page.getByText('The cabinet is not answering; this screen may be out of date.');
    await lost.waitFor();
    await lost.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Present your badge' }).waitFor();
    expect(await late.getByText('The cabinet is not answering').count()).toBe(0);
    for (const c of holders) c.abort();
    await late.context().close();
    // A page reconnects 3 s after it lost its stream, and later on a loaded machine.
  }, 60_000);
});
