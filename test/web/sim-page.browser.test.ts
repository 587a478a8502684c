import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
 * The simulator page of `npm start`, on the daemon run as `keywarden run --demo` (the demo data,
 * the demo's web server on a port of its own), driven in Chromium: what a click does must reach
 * the simulated cabinet and come back through the daemon as an event and a redrawn cabinet.
 */
let browser: Browser;
let daemon: DaemonProcess;
let dir: string;
let web: string;
let sim: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-sim-page-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'sim-page',
      profile: 'sim',
      database: join(dir, 'demo.db'),
      mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
      sim: { host: '127.0.0.1', port: 0 },
      web: { host: '127.0.0.1', port: 0 },
    }),
  );
  daemon = new DaemonProcess(config, {}, [], ['--demo']);
  [browser] = await Promise.all([launchBrowser(), daemon.start()]);
  web = String((await daemon.waitForLog((l) => l.msg === 'web server listening')).url);
  sim = daemon.simUrl();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The cabinet as the simulator itself has it (its control interface), not as the page says. */
async function simState(): Promise<SimSnapshot> {
  return (await (await fetch(`${sim}state`)).json()) as SimSnapshot;
}

async function openSimPage(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await openPage(browser, viewport);
  // A step that does not happen fails with what it waited for, well inside the test's time.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${web}sim`);
  await page.getByTestId('slot-1-state').waitFor();
  expect(problems).toEqual([]);
  return page;
}

describe('the simulator page', () => {
  it('presents a badge, opens the door and takes a key, and draws each step as the daemon reacts', async () => {
    const page = await openSimPage();
    expect(await page.getByTestId('slot-1-state').textContent()).toBe('K-01 · locked');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: "Present Alice Example's card" }).click();
    // Granted: the daemon released the lock and Alice's slots, and the page shows it.
    await page.getByTestId('slot-1-state').getByText('K-01 · released').waitFor();
    await page.getByText('Lock: released').waitFor();
    await page
      .locator('.events li[data-type="access.granted"]')
      .getByText('Alice Example')
      .waitFor();
    expect(await page.locator('svg .slot.released').count()).toBeGreaterThan(0);
    expect((await simState()).slots[0]).toMatchObject({ slot: 1, solenoid: true });

    await page.getByRole('button', { name: 'Open door' }).click();
    await page.getByText('Door: open').waitFor();
    expect((await simState()).door.open).toBe(true);

    await page.getByRole('button', { name: 'Take K-01' }).click();
    await page
      .getByTestId('slot-1-state')
      .getByText(/^Empty/)
      .waitFor();
    await page.locator('.events li[data-type="key.checked_out"]').getByText('K-01').waitFor();
    expect(await page.locator('svg .slot').first().getAttribute('class')).toContain('slot-empty');
    expect((await simState()).slots[0]).toMatchObject({ slot: 1, tag: null, keyPresent: false });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'sim-desktop');

    // Put it back in the wrong slot: the page offers the key and marks it away from home.
    await page.getByRole('button', { name: 'Take K-02' }).click();
    await page
      .getByTestId('slot-2-state')
      .getByText(/^Empty/)
      .waitFor();
    const slot2 = page.locator('li.slot-item', { has: page.locator('#slot-2') });
    await slot2.getByLabel('Key to put back').selectOption({ label: 'K-01 (home slot 1)' });
    await slot2.getByRole('button', { name: 'Put back' }).click();
    await page.getByTestId('slot-2-state').getByText('K-01, wrong slot (its home is 1)').waitFor();
    await page.locator('.events li[data-type="key.wrong_slot"]').waitFor();
    await page.context().close();
  }, 60_000);

  it('follows a change made elsewhere live, shows a refusal in words, types on the keypad, and forces the door', async () => {
    const page = await openSimPage();
    // Closed by someone else (the simulator's control interface): the page hears it live.
    const closed = await fetch(`${sim}door`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'close' }),
    });
    expect(closed.status).toBe(200);
    await page.getByText('Door: closed').waitFor();
    await page.locator('.door.closed').waitFor();
    await page.getByRole('button', { name: 'Open door' }).click();
    await page.getByRole('status').getByText('Refused: the door is locked').waitFor();

    await page.getByLabel('Any card number').fill('12345');
    await page.getByRole('button', { name: 'Present', exact: true }).click();
    await page.getByRole('status').getByText('RDM6300 card number is 10 hex digits').waitFor();

    for (const key of ['4', '2'])
      await page.getByRole('button', { name: key, exact: true }).click();
    await page.getByRole('button', { name: 'Enter (#)' }).click();
    await page.getByRole('status').getByText('Done: the keypad entry.').waitFor();

    await page.getByRole('button', { name: 'Force door' }).click();
    // The daemon calls it forced once it has stayed open past the debounce.
    await page.locator('.events li[data-type="door.forced"]').waitFor({ timeout: 10_000 });
    await page.getByText('Door: forced open').waitFor();
    await page.getByText('DOOR FORCED', { exact: true }).waitFor();
    await page.context().close();
  });

  it('fits a phone, and passes axe there', async () => {
    const page = await openSimPage({ width: 390, height: 844 });
    // (A string: the test is type-checked without the DOM's names.)
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sim-phone');
    await page.context().close();
  });

  it('cannot be driven by a page from another origin on this machine', async () => {
    const foreign: Server = createServer((_req, res) => res.end('<!doctype html><title>x</title>'));
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const address = foreign.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const page = await openPage(browser);
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      const before = await simState();
      // A "simple" request needs no preflight: the browser sends it, and only the server can refuse.
      // (Whatever the answer, the page cannot read it: the browser hides it or, under the
      // server's Cross-Origin-Resource-Policy, fails the fetch.)
      await page.evaluate(async (target) => {
        await fetch(`${target}api/sim/door`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ action: 'force' }),
        }).catch(() => undefined);
      }, web);
      const json = await fetch(`${web}api/sim/door`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
        body: JSON.stringify({ action: 'force' }),
      });
      expect(json.status).toBe(403);
      expect((await simState()).door).toEqual(before.door);
      // The daemon's log comes through its stdout, which may arrive after the HTTP answer.
      const refused = await daemon.waitForLog(
        (l) =>
          l.msg === 'simulator request refused' &&
          String(l.reason).startsWith(`Origin http://127.0.0.1:${port}`),
      );
      expect(refused.level).toBe(40); // a warning
    } finally {
      await page.context().close();
      await new Promise((resolve) => foreign.close(resolve));
    }
  });
});
