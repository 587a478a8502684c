import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Debian's Chromium (apt `chromium`; .ci/run installs it), never a downloaded browser. The flags
 * keep it off the network it cannot reach here (field-notes.md: without them it tries Google's
 * hosts at every start), and --no-sandbox because the tests run as root in CI.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.KEYWARDEN_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in a context of its own (axe needs one made by newContext), at a size: a desktop by
 * default; `{ width: 390, height: 844 }` for a phone, 800×480 for the cabinet's screen.
 */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  return context.newPage();
}

/** axe-core's findings on the page as it is now, of serious or critical impact. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/**
 * A PNG of the page: into test-output/screenshots/ (ignored by git), or the directory
 * KEYWARDEN_SCREENSHOT_DIR names — `npm run screenshots` sets docs/screenshots/ to refresh the
 * README's pictures from the real pages.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.KEYWARDEN_SCREENSHOT_DIR ?? join(ROOT, 'test-output', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
