import {
  closeSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cliCabinet } from '../support/cli-cabinet.js';

/**
 * `export credentials --with-cards` writes full card numbers. A local user who prepares the
 * target beforehand (a world-readable file, or a link to a file of theirs) used to get them:
 * the export kept an existing file's 0644 and wrote through symbolic links.
 */
const CARD = '100086F444';
let cab: ReturnType<typeof cliCabinet>;
beforeEach(async () => {
  cab = cliCabinet();
  // Exports carry the holders the HR import brought (by their HR reference).
  const imported = async (kind: string, text: string) =>
    expect((await cab.cli('import', kind, cab.file(`${kind}.csv`, text))).code).toBe(0);
  await imported(
    'holders',
    'hr_ref,name,enabled,valid_from,valid_until,max_keys_out\nE-1,Dana,1,,,\n',
  );
  await imported(
    'credentials',
    `hr_ref,card,enabled,valid_from,valid_until,pin_required\nE-1,${CARD},1,,,0\n`,
  );
});
const exportCards = (target: string) =>
  cab.cli('export', 'credentials', '--with-cards', '--output', target);

describe('an export of full card numbers cannot be read through a prepared target', () => {
  it('an existing world-readable file is replaced and ends 0600', async () => {
    const target = join(cab.dir, 'cards.csv');
    writeFileSync(target, 'old\n', { mode: 0o644 });

    expect((await exportCards(target)).code).toBe(0);

    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toContain(CARD);
  });

  it('whoever held the old world-readable file open reads the old contents, never the cards', async () => {
    const target = join(cab.dir, 'cards.csv');
    writeFileSync(target, 'old\n', { mode: 0o644 });
    // Another local user opened the earlier export and keeps the descriptor: a mode changed
    // afterwards does not take it back, so the new export must not be written into that file.
    const held = openSync(target, 'r');
    try {
      expect((await exportCards(target)).code).toBe(0);
      expect(readFileSync(held, 'utf8')).toBe('old\n');
      expect(readFileSync(target, 'utf8')).toContain(CARD);
      expect(readdirSync(cab.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      closeSync(held);
    }
  });

  it('every export, not only --with-cards, is created 0600', async () => {
    const target = join(cab.dir, 'holders.csv');
    expect((await cab.cli('export', 'holders', '--output', target)).code).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('a symbolic link is refused and the file it points to is left as it was', async () => {
    const planted = join(cab.dir, 'attacker-owned.csv');
    writeFileSync(planted, 'nothing yet\n', { mode: 0o666 });
    const target = join(cab.dir, 'cards.csv');
    symlinkSync(planted, target);

    const result = await exportCards(target);

    expect(result.code).toBe(1);
    expect(result.err).toContain('is a symbolic link; refusing to write through it');
    expect(readFileSync(planted, 'utf8')).toBe('nothing yet\n');
    expect(lstatSync(target).isSymbolicLink()).toBe(true);
  });

  it('a dangling symbolic link (where a file would be created) is refused too', async () => {
    const target = join(cab.dir, 'cards.csv');
    symlinkSync(join(cab.dir, 'would-be-created.csv'), target);
    const result = await exportCards(target);
    expect(result.code).toBe(1);
    expect(() => statSync(join(cab.dir, 'would-be-created.csv'))).toThrow();
  });

  it('a file with a second hard link is refused and left as it was', async () => {
    const planted = join(cab.dir, 'attacker-owned.csv');
    writeFileSync(planted, 'nothing yet\n', { mode: 0o644 });
    const target = join(cab.dir, 'cards.csv');
    linkSync(planted, target);

    const result = await exportCards(target);

    expect(result.code).toBe(1);
    expect(result.err).toContain('has other hard links; refusing to write');
    expect(readFileSync(planted, 'utf8')).toBe('nothing yet\n');
    expect(statSync(planted).mode & 0o777).toBe(0o644);
  });
});
