import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadOsdpKey } from '../../src/config/osdp-key-file.js';
import { demoOsdpKeyFile } from '../../src/daemon/demo-osdp-key.js';

/**
 * The OSDP demo's own key file: made once beside the demo's database, 0600, never over
 * something already there (which the key file's checks then judge as any key file).
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-demo-key-'));
  dirs.push(dir);
  return dir;
}

it('is made once, 0600, 32 hex digits, and kept at the next start', () => {
  const dir = tempDir();
  const file = demoOsdpKeyFile(join(dir, 'demo.db'));
  expect(file).toBe(join(dir, 'demo-osdp-key'));
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const key = readFileSync(file, 'latin1');
  expect(key).toMatch(/^[0-9a-f]{32}\n$/);
  expect(demoOsdpKeyFile(join(dir, 'demo.db'))).toBe(file);
  expect(readFileSync(file, 'latin1')).toBe(key);
  expect(loadOsdpKey(file)).toHaveLength(16);
});

it('never writes over what is there: a loose file or a link is refused by the key checks', () => {
  const dir = tempDir();
  const file = join(dir, 'demo-osdp-key');
  writeFileSync(file, '00112233445566778899aabbccddeeff\n');
  chmodSync(file, 0o644);
  expect(demoOsdpKeyFile(join(dir, 'demo.db'))).toBe(file);
  expect(() => loadOsdpKey(file)).toThrow(/readable by others/);

  const other = tempDir();
  const target = join(other, 'elsewhere');
  symlinkSync(target, join(other, 'demo-osdp-key'));
  const linked = demoOsdpKeyFile(join(other, 'demo.db'));
  expect(() => loadOsdpKey(linked)).toThrow(/cannot be read: ELOOP/);
  // Nothing was made through the link.
  expect(() => statSync(target)).toThrow(/ENOENT/);
});

it('refuses an in-memory database, which has no directory to keep it in', () => {
  expect(() => demoOsdpKeyFile(':memory:')).toThrow(/in-memory database/);
});
