import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimSnapshot } from '../../src/sim/sim-cabinet.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { DaemonProcess } from '../support/daemon-process.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The demo as someone trying it uses it: ONE daemon process (`keywarden run --demo`, as
 * `npm start` runs it) serving the console `/`, the cabinet screen `/cabinet` and the simulator
 * `/sim` on one port, and ONE browser signed in to the console with the login the demo printed.
 * What the console adds must work at the very cabinet the simulator drives, and end by itself.
 */
const ZONE = 'Europe/London';
let browser: Browser;
let context: BrowserContext;
let daemon: DaemonProcess;
let dir: string;
let web: string;
let sim: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keywarden-demo-e2e-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      version: 1,
      cabinetId: 'demo-e2e',
      profile: 'sim',
      database: join(dir, 'demo.db'),
      cabinet: { timeZone: ZONE },
      mqtt: { url: 'mqtt://127.0.0.1:1', allowPlainText: true },
      sim: { host: '127.0.0.1', port: 0 },
      web: { host: '127.0.0.1', port: 0 },
    }),
  );
  daemon = new DaemonProcess(config, {}, [], ['--demo']);
  [browser] = await Promise.all([launchBrowser(), daemon.start()]);
  // The login the demo prints at start (new at every start), as the person trying it reads it.
  const login = await daemon.waitForLog((l) => typeof l.demoPassword === 'string');
  web = String(login.url);
  sim = daemon.simUrl();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await newPage();
  await page.goto(web);
  await page.getByLabel('Account').fill(String(login.account));
  await page.getByLabel('Password').fill(String(login.demoPassword));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.close();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A tab of the one signed-in browser; a step that does not happen fails with what it awaited. */
async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** The cabinet as the simulator itself has it (its control interface), not as a page says. */
async function simState(): Promise<SimSnapshot> {
  return (await (await fetch(`${sim}state`)).json()) as SimSnapshot;
}

/** `ms` as the console's datetime-local inputs take it: the cabinet's wall time, to the minute. */
function cabinetWallTime(ms: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

/** Enrolments the daemon is waiting on a tap for, as its database has them. */
function pendingEnrolments(): number {
  const db = new BetterSqlite3(join(dir, 'demo.db'), { readonly: true });
  try {
    return db
      .prepare(
        "SELECT count(*) FROM custodian_requests WHERE kind = 'enrol_card' AND done_at IS NULL",
      )
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

/** Opens a person on the console's People page. */
async function openPerson(page: Page, name: string): Promise<void> {
  await page.goto(`${web}#/people`);
  await page.getByLabel('Name, company or card').fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
}

/** A person's cards as the console's API has them (with this browser's session). */
async function cardsOf(name: string): Promise<string[]> {
  const list = (await (
    await context.request.get(`${web}api/people`, { params: { text: name, limit: 5 } })
  ).json()) as { rows: Array<{ id: number; name: string }> };
  const id = list.rows.find((r) => r.name === name)?.id;
  const person = (await (await context.request.get(`${web}api/people/${id}`)).json()) as {
    cards: Array<{ card: string }>;
  };
  return person.cards.map((c) => c.card);
}

/** Presents a card by the simulator page's own input, as a person trying the demo would. */
async function presentCard(simPage: Page, card: string): Promise<void> {
  await simPage.getByLabel('Any card number').fill(card);
  await simPage.getByRole('button', { name: 'Present', exact: true }).click();
}

describe('the demo, end to end in one browser', () => {
  it('a contractor added in the console opens their key at the simulated cabinet, shows in the overview and the log, and their access ends by itself', async () => {
    const card = 'C0FFEE0042';
    // The console takes wall time to the minute: the first whole minute at least 75 s away
    // leaves the steps before it time to run on a loaded machine.
    const until = Math.ceil((Date.now() + 75_000) / 60_000) * 60_000;

    const consolePage = await newPage();
    await consolePage.goto(`${web}#/contractor`);
    await consolePage.getByRole('heading', { level: 1, name: 'Contractor' }).waitFor();
    await consolePage.getByLabel('Name').fill('Dana Contractor');
    await consolePage.getByLabel('Company').fill('Sparks & Co');
    await consolePage.getByLabel('Card number').fill(card);
    await consolePage.getByLabel('Until (cabinet time)').fill(cabinetWallTime(until));
    await consolePage.getByLabel('K-08 (slot 8)').check();
    await consolePage.getByRole('button', { name: 'Add contractor' }).click();
    await consolePage.getByText(/Dana Contractor \(Sparks & Co\) added: access until/).waitFor();

    // The same browser, the simulator: the card by the page's own input.
    const simPage = await newPage();
    await simPage.goto(`${web}sim`);
    await simPage.getByTestId('slot-8-state').waitFor();
    await presentCard(simPage, card);
    await simPage.getByText('Lock: released').waitFor();
    await simPage.getByTestId('slot-8-state').getByText('K-08 · released').waitFor();
    // Only the contractor's key: the slot of a key they were not given stays locked.
    expect(await simPage.getByTestId('slot-7-state').textContent()).toBe('K-07 · locked');
    expect((await simState()).slots[7]).toMatchObject({ slot: 8, solenoid: true });
    await simPage
      .locator('.events li[data-type="access.granted"]')
      .getByText('Dana Contractor')
      .waitFor();
    await simPage.getByRole('button', { name: 'Open door' }).click();
    await simPage.getByText('Door: open').waitFor();
    await simPage.getByRole('button', { name: 'Take K-08' }).click();
    await simPage
      .getByTestId('slot-8-state')
      .getByText(/^Empty/)
      .waitFor();
    await simPage.locator('.events li[data-type="key.checked_out"]').getByText('K-08').waitFor();
    await simPage.getByRole('button', { name: 'Close door' }).click();
    await simPage.getByText('Door: closed').waitFor();
    expect((await simState()).door.open).toBe(false);

    // The console: the key out with the contractor's name, and the check-out in the log.
    await consolePage.goto(`${web}#/`);
    const slot8 = consolePage.locator('li', {
      has: consolePage.getByText('Slot 8', { exact: true }),
    });
    await slot8.getByText('Out with Dana Contractor').waitFor();
    await consolePage.goto(`${web}#/records`);
    const checkedOut = consolePage.getByRole('row', { name: /Key taken/ }).first();
    await checkedOut.waitFor();
    expect(await checkedOut.innerText()).toMatch(/Dana Contractor[\s\S]*K-08/);
    await saveScreenshot(consolePage, 'demo-e2e-records');

    // Time passes: after "until" the same card is refused, and the cabinet screen says why.
    const screen = await newPage();
    await screen.setViewportSize({ width: 800, height: 480 });
    await screen.goto(`${web}cabinet`);
    await screen.getByText(/present your badge/i).waitFor();
    await waitFor(() => Date.now() > until, 'the contractor’s until-time to pass', 150_000);
    await presentCard(simPage, card);
    await screen.getByRole('heading', { name: 'Not opened' }).waitFor();
    expect(await screen.locator('main').innerText()).toContain('Your access has ended.');
    await simPage.locator('.events li[data-type="access.denied"]').waitFor();
    expect((await simState()).door).toMatchObject({ unlocked: false });
    expect((await simState()).slots.filter((s) => s.solenoid)).toEqual([]);
    await saveScreenshot(screen, 'demo-e2e-cabinet-refused');

    // People shows them expired: their access ended by itself, nobody changed it.
    await consolePage.goto(`${web}#/people`);
    await consolePage.getByLabel('Name, company or card').fill('Dana');
    await consolePage.getByRole('button', { name: 'Search' }).click();
    const row = consolePage.getByRole('row', { name: /Dana Contractor/ });
    await row.locator('.badge-expired').waitFor();
    expect(await row.innerText()).toMatch(/expired/i);
    await Promise.all([consolePage.close(), simPage.close(), screen.close()]);
  }, 240_000);

  it('enrols a card tapped at the simulator on the person’s page; closing the page or moving to another console page cancels the wait, and the next tap is an unknown card', async () => {
    const simPage = await newPage();
    await simPage.goto(`${web}sim`);
    await simPage.getByTestId('slot-1-state').waitFor();

    const person = await newPage();
    await openPerson(person, 'Bob Example');
    const before = await cardsOf('Bob Example');
    await person.getByRole('button', { name: 'Enrol by tapping at the cabinet' }).click();
    await person.getByText('Tap the card at the cabinet now').waitFor();
    await waitFor(() => pendingEnrolments() === 1, 'the daemon to wait for a tap');
    await presentCard(simPage, 'B0B0000002');
    await person.getByText(/card .*0002 enrolled/).waitFor();
    // On the person's page, without a reload: the new card listed (shortened).
    await person.locator('li', { hasText: '0002' }).first().waitFor();
    expect(await cardsOf('Bob Example')).toHaveLength(before.length + 1);
    // An enrolment tap opens nothing.
    expect((await simState()).door.unlocked).toBe(false);
    await saveScreenshot(person, 'demo-e2e-enrolled');

    // The cancel path: the page waiting is closed before any tap.
    const leaving = await newPage();
    await openPerson(leaving, 'Alice Example');
    const aliceBefore = await cardsOf('Alice Example');
    await leaving.getByRole('button', { name: 'Enrol by tapping at the cabinet' }).click();
    await waitFor(() => pendingEnrolments() === 1, 'the daemon to wait for a tap');
    await leaving.close();
    await waitFor(() => pendingEnrolments() === 0, 'the closed page to cancel the wait');
    // Moving to another console page (the hash changes, the page stays loaded) cancels it too.
    const moving = await newPage();
    await openPerson(moving, 'Alice Example');
    // A double click arms one wait (the button waits with it), so leaving cancels that one.
    const enrol = moving.getByRole('button', { name: 'Enrol by tapping at the cabinet' });
    await enrol.dblclick();
    await waitFor(() => pendingEnrolments() === 1, 'the daemon to wait for a tap');
    expect(await enrol.isDisabled()).toBe(true);
    await moving.goto(`${web}#/keys`);
    await waitFor(() => pendingEnrolments() === 0, 'leaving the person to cancel the wait');
    await moving.close();
    await presentCard(simPage, 'A11CE00003');
    // Not enrolled: an unknown card, refused like any other (the newest event first).
    await simPage
      .locator('.events li')
      .first()
      .and(simPage.locator('[data-type="access.denied"]'))
      .getByText('unknown card')
      .waitFor();
    expect(await cardsOf('Alice Example')).toEqual(aliceBefore);
    expect(daemon.logs.filter((l) => l.msg === 'card enrolled')).toHaveLength(1);
    await Promise.all([person.close(), simPage.close()]);
  }, 120_000);
});
