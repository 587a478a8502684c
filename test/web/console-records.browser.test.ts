import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { keysAndRecordsModules } from '../../src/web/routes/keys-and-records.js';
import { EVENT_TYPES } from '../../src/web/ui/console/pages/event-types.js';
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

describe('the event log', () => {
  it('offers every event type the log records', () => {
    const schema = JSON.parse(readFileSync('docs/schemas/event.json', 'utf8')) as {
      properties: { type: { enum: string[] } };
    };
    expect([...EVENT_TYPES]).toEqual(schema.properties.type.enum);
  });

  it('filters by type, key and time in the cabinet zone, newest first, and pages', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page, problems } = await open('/records');
    const table = page.getByRole('table', { name: 'Events, newest first' });
    await table.getByRole('cell', { name: 'Records changed' }).first().waitFor();
    // Keys by name: the key.added of the plant room key, and nothing else, for that key.
    await page.getByLabel('Key', { exact: true }).selectOption({ label: 'K-01 Plant room' });
    await page.getByLabel('Event type').selectOption({ label: 'Key added' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').textContent()).toMatch(/Key added.*K-01 Plant room/);
    // A range in the past holds nothing: typed as the cabinet's wall time (Europe/London).
    await page.getByLabel('From').fill('2020-01-01T00:00');
    await page.getByLabel('Until').fill('2020-01-02T00:00');
    await page.getByRole('button', { name: 'Show' }).click();
    await table.getByText('No events match.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await table.getByRole('cell', { name: 'Records changed' }).first().waitFor();
    const first = await table.locator('tbody tr').first().textContent();
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    expect(first).toMatch(/Records changed/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-records');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('says each event in words, names groups, keys and people rather than ids, and keeps the recorded data one click away', async () => {
    const admin = harness.clientFor({ account: 'ada', role: 'admin' });
    await admin.groups.update(seeded.crew, { name: 'Night shift' });
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page, problems } = await open('/records');
    const table = page.getByRole('table', { name: 'Events, newest first' });
    // The rename: what changed, from what to what, by whom, the group by its name.
    const rename = table.locator('tbody tr').first();
    await rename.getByText('from Night crew to Night shift').waitFor();
    // The type picker in words, too.
    const picker = page.getByLabel('Event type');
    expect(await picker.locator('option', { hasText: 'Alarm acknowledged' }).count()).toBe(1);
    expect(await picker.locator('option', { hasText: 'Door forced open' }).count()).toBe(1);
    expect(await picker.locator('option', { hasText: 'policy.changed' }).count()).toBe(0);
    expect(await rename.innerText()).toMatch(/Records changed/);
    expect(await rename.innerText()).toMatch(/Changed\s*group Night shift/);
    expect(await rename.innerText()).toMatch(/\bada\b/);
    expect(await rename.innerText()).not.toMatch(/"before"|groupId|\{/);
    await saveScreenshot(page, 'console-records-words');
    // The record as written stays reachable for an auditor, behind a disclosure.
    await rename.getByText('Recorded data').click();
    const raw = JSON.parse(await rename.locator('pre').innerText()) as {
      type: string;
      data: { entity: string; before: { name: string }; after: { name: string } };
    };
    expect(raw).toMatchObject({
      type: 'policy.changed',
      data: { entity: 'group', before: { name: 'Night crew' }, after: { name: 'Night shift' } },
    });

    // A membership and a grant: people, groups, key sets and schedules by name, never by id.
    await table.getByText('Bob Builder in group Night shift').waitFor();
    const grant = table.locator('tbody tr', { hasText: /grant \d+/ }).first();
    expect(await grant.innerText()).toMatch(/Group\s*Night shift/);
    expect(await grant.innerText()).toMatch(/Key set\s*Vans/);
    expect(await grant.innerText()).toMatch(/Schedule\s*Weekdays/);
    expect(await grant.innerText()).not.toMatch(/none/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-records-raw');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone 390 px wide', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page } = await open('/records', { width: 390, height: 844 });
    await page.getByRole('table', { name: 'Events, newest first' }).waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-records-phone');
    await page.context().close();
  });
});

describe('reports', () => {
  it('shows a report and downloads it as CSV with the formula label guarded', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page, problems } = await open('/reports');
    await page.getByLabel('Report').selectOption('access-matrix');
    await page
      .getByRole('table', { name: 'Access matrix' })
      .getByRole('cell', { name: 'Bob Builder' })
      .waitFor();
    await page.getByLabel('Report').selectOption('physical-audit');
    const link = page.getByRole('link', { name: 'Download Physical audit as CSV' });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^keywarden-web-cab-physical-audit-[\d-]+\.csv$/);
    const file = readFileSync(await download.path(), 'utf8');
    const lines = file.trim().split('\r\n');
    expect(lines[0]).toMatch(/^slot,/);
    // The header and the harness's eight slots.
    expect(lines).toHaveLength(9);
    expect(file).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('CSV import', () => {
  it('shows a bad line by number and changes nothing, then applies the corrected file', async () => {
    harness.signIn({ account: 'carol', role: 'custodian' });
    const { page, problems } = await open('/import');
    const header = 'hr_ref,name,enabled,valid_from,valid_until,max_keys_out';
    await page
      .getByLabel('Contents')
      .fill(`${header}\nE1,Dora Diver,yes,,,\nE2,Eli Electric,perhaps,,,`);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText(/^Line 3: /).waitFor();
    expect(await page.getByRole('button', { name: 'Apply all' }).isDisabled()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, 'console-import');
    const names = async () =>
      (await harness.clientFor({ account: 'ada', role: 'admin' }).holders.list()).map(
        (h) => h.name,
      );
    expect(await names()).not.toContain('Dora Diver');

    await page
      .getByLabel('Contents')
      .fill(`${header}\nE1,Dora Diver,yes,,,\nE2,Eli Electric,yes,,,`);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('2 would add or change a record', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Apply all' }).click();
    await page.getByText('Applied: 2 rows changed the records').waitFor();
    expect(await names()).toEqual(expect.arrayContaining(['Dora Diver', 'Eli Electric']));
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('is not offered to an auditor', async () => {
    harness.signIn({ account: 'vic', role: 'viewer' });
    const { page } = await open('/reports');
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Reports' })
      .waitFor();
    expect(await page.getByRole('link', { name: 'CSV import' }).count()).toBe(0);
    await page.context().close();
  });
});
