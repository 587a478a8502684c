import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';

describe('export --output', () => {
  it('into a directory that does not exist: a sentence naming it, exit 1, no raw ENOENT', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    const target = join(cab.dir, 'missing', 'holders.csv');
    const result = await cab.cli('export', 'holders', '--output', target);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `--output ${target}: the directory ${join(cab.dir, 'missing')} does not exist`,
    );
    expect(result.err).not.toContain('ENOENT');
  });

  it('onto a directory: says to give a file name', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    mkdirSync(join(cab.dir, 'out'));
    const result = await cab.cli('export', 'holders', '--output', join(cab.dir, 'out'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('is a directory; give a file name');
  });

  it('into an existing directory: written', async () => {
    const cab = cliCabinet();
    await cab.cli('holder', 'add', '--name', 'Dana');
    const target = join(cab.dir, 'holders.csv');
    expect((await cab.cli('export', 'holders', '--output', target)).code).toBe(0);
    expect(existsSync(target)).toBe(true);
  });
});
