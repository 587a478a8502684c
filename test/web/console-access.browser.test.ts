import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { keysAndRecordsModules } from '../../src/web/routes/keys-and-records.js';
import { peopleModule } from '../../src/web/routes/people.js';
import {
  launchBrowser,
  openPage,
  saveScreenshot,
  seriousAccessibilityViolations,
} from '../support/browser.js';
import { seedKeysAndRecords } from '../support/keys-records-seed.js';
import { startWebHarness, type WebHarness } from '../support/web-harness.js';

const ADMIN = { account: 'ada', role: 'admin' } as const;
const CUSTODIAN = { account: 'carol', role: 'custodian' } as const;
const VIEWER = { account: 'vic', role: 'viewer' } as const;

let browser: Browser;
let harness: WebHarness;
let seeded: Awaited<ReturnType<typeof seedKeysAndRecords>>;
beforeAll(async () => {
  browser = await launchBrowser();
  harness = await startWebHarness({
    console: true,
    modules: (clientFor) => [
      ...keysAndRecordsModules(clientFor, { cabinetId: 'web-cab', policy: DEFAULT_CONFIG.policy }),
      peopleModule(clientFor),
    ],
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

/** Tomorrow's date in the cabinet's zone (the harness's is Europe/London), as YYYY-MM-DD. */
const tomorrowInCabinet = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + 86_400_000),
  );

/** The latest events, newest first, with who each names as having made it. */
const latestEvents = async (count: number) =>
  (await harness.clientFor(ADMIN).events.recent(count))
    .map((e) => ({
      seq: e.seq,
      type: e.type,
      actor: (e.data as { actor?: { account?: string } }).actor?.account,
    }))
    .reverse();
const actorsOfLatest = async (count: number) => (await latestEvents(count)).map((e) => e.actor);

describe('schedules, permissions and grants in the console', () => {
  it('creates a schedule with two windows and an exception, refusing a window at 25:00', async () => {
    harness.signIn(CUSTODIAN);
    const { page, problems } = await open('/schedules');
    await page.getByRole('heading', { name: 'Weekdays' }).waitFor();
    await page.getByLabel('Schedule name').fill('Night shift');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    await page.getByText('Schedule Night shift added').waitFor();
    const windows = page.getByRole('form', { name: 'Add a window to Night shift' });
    const addWindow = async (day: string, from: string, until: string) => {
      await windows.getByLabel('Day').selectOption(day);
      await windows.getByLabel('From').fill(from);
      await windows.getByLabel('Until').fill(until);
      await windows.getByRole('button', { name: 'Add window' }).click();
    };
    await addWindow('Mon', '25:00', '26:00');
    await page
      .getByRole('alert')
      .getByText(/body\/from: "25:00"/)
      .waitFor();
    await addWindow('Mon', '22:00', '24:00');
    await page.getByText('Night shift: open Monday 22:00–24:00.').waitFor();
    await addWindow('Tue', '00:00', '06:00');
    await page.getByText('Night shift: open Tuesday 00:00–06:00.').waitFor();
    const exceptions = page.getByRole('form', { name: 'Add an exception to Night shift' });
    await exceptions.getByLabel('Date').fill('2026-12-31');
    await exceptions.getByLabel('The cabinet is').selectOption('closed');
    await exceptions.getByRole('button', { name: 'Add exception' }).click();
    await page.getByText('Night shift: 2026-12-31 closed all day.').waitFor();
    const card = page.getByRole('region', { name: 'Night shift' });
    await card.getByRole('row', { name: /Mon 22:00-24:00/ }).waitFor();
    await card.getByRole('row', { name: /Tue 00:00-06:00/ }).waitFor();
    await card
      .getByRole('listitem')
      .filter({ hasText: 'Thu, 31 Dec 2026: closed all day' })
      .waitFor();
    const [night] = (await harness.clientFor(ADMIN).schedules.list()).filter(
      (s) => s.name === 'Night shift',
    );
    expect(night?.windows.map((w) => `${w.day} ${w.hours}`)).toEqual([
      'Mon 22:00-24:00',
      'Tue 00:00-06:00',
    ]);
    expect(night?.exceptions).toEqual([
      expect.objectContaining({ date: '2026-12-31', kind: 'closed', hours: null }),
    ]);
    expect(new Set(await actorsOfLatest(4))).toEqual(new Set(['carol']));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-schedules');
    expect(problems.filter((p) => !p.includes('400'))).toEqual([]);
    await page.context().close();
  });

  it('grants a group a key on the schedule, and a person a key for tomorrow, then revokes it', async () => {
    harness.signIn(CUSTODIAN);
    const { page, problems } = await open('/access');
    const matrix = page.getByRole('table', { name: /Who may take which key/ });
    const bobPlant = () =>
      matrix
        .getByRole('row', { name: /Bob Builder/ })
        .locator('td')
        .nth(0);
    await matrix.waitFor();
    expect(await bobPlant().getAttribute('class')).not.toContain('allowed');

    await page.getByRole('radio', { name: 'a group' }).check();
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Night crew' });
    await page
      .getByLabel('Key', { exact: true })
      .selectOption({ label: 'K-01 Plant room (slot 1)' });
    await page.getByLabel('When', { exact: true }).selectOption({ label: 'Night shift' });
    await page.getByRole('button', { name: 'Give access' }).click();
    await page
      .getByText('Grant added: group Night crew may take K-01 Plant room on Night shift.')
      .waitFor();
    // The matrix is read again at once: Bob, in the night crew, may now take the plant room key.
    await expect
      .poll(async () => bobPlant().getAttribute('title'))
      .toMatch(/group "Night crew".*Night shift/);
    await page.getByRole('row', { name: /group Night crew K-01 Plant room Night shift/ }).waitFor();

    await page.getByRole('radio', { name: 'a person' }).check();
    await page.getByLabel('Find a person').fill('Cat');
    await page.getByRole('button', { name: 'Find' }).click();
    await page
      .getByLabel('Person', { exact: true })
      .locator('option', { hasText: 'Cat Carpenter' })
      .waitFor({
        state: 'attached',
      });
    await page.getByLabel('Key', { exact: true }).selectOption({ label: 'K-02 Van (slot 2)' });
    await page.getByLabel('When', { exact: true }).selectOption({ label: 'At any time' });
    const tomorrow = tomorrowInCabinet();
    await page.getByLabel('From (cabinet time)').fill(`${tomorrow}T08:00`);
    await page.getByLabel('Until (cabinet time)').fill(`${tomorrow}T17:00`);
    await page.getByRole('button', { name: 'Give access' }).click();
    await page
      .getByText(
        `Permission added: Cat Carpenter may take K-02 Van at any time from ${Number(tomorrow.slice(8))} `,
      )
      .waitFor();
    const catRow = page.getByRole('row', { name: /Cat Carpenter K-02 Van any time/ });
    await catRow.getByText('starts later').waitFor();
    await expect.poll(() => catRow.textContent()).toContain('08:00');
    const cat = (await harness.clientFor(ADMIN).grants.list()).find(
      (g) => g.kind === 'permission' && g.slot === 2 && g.validFrom !== null,
    );
    expect(cat?.validFrom).toMatch(new RegExp(`^${tomorrow}T0[78]:00:00`));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-access');

    await catRow.getByRole('button', { name: /Revoke/ }).click();
    await page.getByText('Revoked: Cat Carpenter may no longer take K-02 Van.').waitFor();
    await expect.poll(() => catRow.count()).toBe(0);
    expect(
      (await harness.clientFor(ADMIN).grants.list()).some(
        (g) => g.kind === 'permission' && g.slot === 2,
      ),
    ).toBe(false);
    const [revoked] = await latestEvents(1);
    expect(revoked).toMatchObject({ type: 'permission.revoked', actor: 'carol' });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("lets an administrator choose a tier's authoriser group, by name", async () => {
    harness.signIn(ADMIN);
    const { page } = await open('/rules');
    await page.getByRole('heading', { name: /Change a tier/ }).waitFor();
    await page.getByRole('combobox', { name: 'Tier' }).selectOption('sub_master');
    const group = page.getByRole('combobox', { name: 'Authorisers from' });
    expect(await group.isDisabled()).toBe(true);
    await page.getByRole('combobox', { name: 'Further people' }).selectOption('1');
    await page.getByText("The sub master tier's rule was changed.").waitFor();
    await expect.poll(() => group.isDisabled()).toBe(false);
    await group.selectOption({ label: 'group Night crew' });
    await expect
      .poll(async () =>
        (await harness.clientFor(ADMIN).tiers.list()).find((t) => t.tier === 'sub_master'),
      )
      .toMatchObject({ authorisers: 1, authoriserGroupId: seeded.crew });
    await page.getByRole('row', { name: /sub master 1 Night crew/ }).waitFor();
    const [event] = await latestEvents(1);
    expect(event?.actor).toBe('ada');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-rules-tier-group');
    await group.selectOption({ label: 'anyone permitted' });
    await expect
      .poll(async () =>
        (await harness.clientFor(ADMIN).tiers.list()).find((t) => t.tier === 'sub_master'),
      )
      .toMatchObject({ authoriserGroupId: null });
    await page.context().close();
  });

  it("fits a custodian's forms on a phone", async () => {
    harness.signIn(CUSTODIAN);
    const { page, problems } = await open('/schedules', { width: 390, height: 844 });
    await page.getByRole('form', { name: 'Add a window to Night shift' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('form', { name: 'Add a window to Weekdays' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'console-schedules-phone');
    await page.goto(`${harness.url}/#/access`);
    await page.getByRole('button', { name: 'Give access' }).waitFor();
    await page.getByRole('row', { name: /group Night crew K-01 Plant room Night shift/ }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-access-phone');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the auditor all of it and offers no change, on a desktop and a phone', async () => {
    harness.signIn(VIEWER);
    const before = (await latestEvents(1))[0]?.seq;
    for (const viewport of [undefined, { width: 390, height: 844 }]) {
      const { page, problems } = await open('/schedules', viewport);
      const card = page.getByRole('region', { name: 'Night shift' });
      await card.getByText('Used by 1 grant.').waitFor();
      await card.getByRole('row', { name: /Tue 00:00-06:00/ }).waitFor();
      expect(
        await page
          .getByRole('button')
          .filter({ hasText: /Add|Remove/ })
          .count(),
      ).toBe(0);
      expect(await page.locator('form').count()).toBe(0);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      const phone = viewport ? '-phone' : '';
      await saveScreenshot(page, `console-schedules-auditor${phone}`);
      await page.goto(`${harness.url}/#/access`);
      await page
        .getByRole('row', { name: /group Night crew K-01 Plant room Night shift/ })
        .waitFor();
      expect(await page.getByRole('button', { name: /Revoke|Give access/ }).count()).toBe(0);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, `console-access-auditor${phone}`);
      expect(problems).toEqual([]);
      await page.context().close();
    }
    // The API refuses the auditor whatever the page shows.
    const refused = await fetch(`${harness.url}/api/schedules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sneaky' }),
    });
    expect(refused.status).toBe(403);
    expect((await latestEvents(1))[0]?.seq).toBe(before);
  });
});
