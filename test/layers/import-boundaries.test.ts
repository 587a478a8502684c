import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

/**
 * The two rules nothing else checks yet (issue 10 item 4): the drivers use nothing of src/, and
 * the domain imports nothing from outside src/domain, not even a package. A plain scan of the
 * import and export specifiers; the lint of item 5 will hold every layer's rules.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/** `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`. */
const SPECIFIER =
  /\b(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** Every import of `file`, relative ones resolved to a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((match) => {
    const specifier = match[1] ?? match[2] ?? match[3] ?? '';
    return specifier.startsWith('.')
      ? relative(ROOT, resolve(ROOT, dirname(file), specifier))
      : specifier;
  });
}

function crossings(dir: string, allowed: (target: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target))
      .map((target) => `${file} imports ${target}`),
  );
}

const inside = (dir: string) => (target: string) => target.startsWith(dir + '/');

it('finds the imports it is meant to police', () => {
  expect(importsOf('src/daemon/readers.ts')).toContain('drivers/serial/badge-reader.js');
  expect(importsOf('drivers/gpio/onoff-gpio.ts')).toContain('onoff');
});

it('drivers/ imports nothing of src/', () => {
  expect(crossings('drivers', (target) => !inside('src')(target))).toEqual([]);
});

it('src/domain imports nothing from outside src/domain', () => {
  expect(crossings('src/domain', inside('src/domain'))).toEqual([]);
});
