import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimSnapshot } from '../../src/sim/sim-cabinet.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { DaemonProcess } from '../support/daemon-process.js';

/**
 * The simulator page of the OSDP demo (`npm run start:osdp`: config/demo-osdp.json, moved to a
 * temp directory), in Chromium: a demo badge clicked is a card held to the simulated OSDP
 * reader, read by the cabinet over the secured in-process link; the page draws the reader's
 * LED as the cabinet sets it.
 */
const SHIPPED = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'config', 'demo-osdp.json'), 'utf8'),
) as Record<string, unknown>;

let browser: Browser;
let daemon: DaemonProcess;
let dir: string;
let web: string;
let sim: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-sim-page-osdp-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      ...SHIPPED,
      database: join(dir, 'demo.db'),
      mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
      sim: { host: '127.0.0.1', port: 0 },
      web: { host: '127.0.0.1', port: 0, accountsDatabase: join(dir, 'demo-web.db') },
    }),
  );
  daemon = new DaemonProcess(config, {}, [], ['--demo']);
  [browser] = await Promise.all([launchBrowser(), daemon.start()]);
  web = String((await daemon.waitForLog((l) => l.msg === 'web server listening')).url);
  sim = daemon.simUrl();
  await daemon.waitForLog((l) => l.msg === 'OSDP reader online' && l.secured === true);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function simState(): Promise<SimSnapshot> {
  return (await (await fetch(`${sim}state`)).json()) as SimSnapshot;
}

async function openSimPage(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await openPage(browser, viewport);
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${web}sim`);
  await page.getByTestId('slot-1-state').waitFor();
  await page.getByText('Link: answering, Secure Channel').waitFor();
  expect(problems).toEqual([]);
  return page;
}

describe('the simulator page with the OSDP reader', () => {
  it("Alice's badge clicked: read through the reader, her slots released, the reader's LED green", async () => {
    const page = await openSimPage();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: "Present Alice Example's card" }).click();
    await page.getByTestId('slot-1-state').getByText('K-01 · released').waitFor();
    await page.locator('svg .reader-led.led-green').waitFor();
    await page.getByText('LED: green').waitFor();
    await page
      .locator('.events li[data-type="access.granted"]')
      .getByText('Alice Example')
      .waitFor();
    expect((await simState()).osdpReader?.led).toEqual({ color: 'green', flashing: false });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'sim-osdp-desktop');

    // Ended with the door used; then a card nobody holds blinks the reader red.
    await page.getByRole('button', { name: 'Open door' }).click();
    await page.getByText('Door: open').waitFor();
    await page.getByRole('button', { name: 'Close door' }).click();
    await page.getByText('LED: off').waitFor();
    await page.getByLabel('Any card number').fill('04209999');
    await page.getByRole('button', { name: 'Present', exact: true }).click();
    await page.locator('svg .reader-led.led-red.flashing').waitFor();
    await page.getByText('LED: red, blinking').waitFor();
    await page.locator('.events li[data-type="access.denied"]').waitFor();

    // A number no H10301 card carries is refused in words, and nothing reaches the reader.
    await page.getByLabel('Any card number').fill('100086F444');
    await page.getByRole('button', { name: 'Present', exact: true }).click();
    await page
      .getByRole('status')
      .getByText('an H10301 card on the OSDP reader is 8 digits')
      .waitFor();
    await page.context().close();
  }, 60_000);

  it('fits a phone, and passes axe there', async () => {
    const page = await openSimPage({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sim-osdp-phone');
    await page.context().close();
  }, 60_000);

  it('unplugs the reader and plugs it back: offline, then secured again', async () => {
    const page = await openSimPage();
    await page.getByRole('button', { name: 'Unplug reader' }).click();
    await page.getByText('Link: unplugged').waitFor();
    await page.locator('svg .osdp-reader.unplugged').waitFor();
    await page.locator('.events li[data-type="reader.offline"]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Plug reader in' }).click();
    await page.getByText('Link: answering, Secure Channel').waitFor({ timeout: 15_000 });
    await page.locator('.events li[data-type="reader.online"]').waitFor({ timeout: 15_000 });
    await page.context().close();
  }, 60_000);
});
