import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

/**
 * The "Layers" table of docs/architecture.md and the layers the boundary check enforces
 * (.dependency-cruiser.mjs) must say the same, so neither drifts from the other; and every
 * folder of src/ must sit in exactly one layer, so a new one is placed on purpose.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/** A layer as .dependency-cruiser.mjs declares it. */
interface Layer {
  name: string;
  where: string[];
  mayImport?: string[];
  mustNotImport?: string[];
  exceptFrom?: string[];
  packages: boolean;
  severity?: 'warn';
}

const configUrl = pathToFileURL(join(ROOT, '.dependency-cruiser.mjs')).href;
const { layers } = (await import(configUrl)) as { layers: Layer[] };

/** The Layer, Where and May import columns of the table under "## Layers", as a Layer each. */
function documentedLayers(): Layer[] {
  const text = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const section = text.split('\n## Layers\n')[1]?.split('\n## ')[0] ?? '';
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const [header, , ...body] = rows;
  expect(header).toEqual(['Layer', 'Where', 'Holds', 'May import']);
  return body.map(([name = '', where = '', , mayImport = '']) => fromRow(name, where, mayImport));
}

const paths = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/**
 * "only `a/`, `b/` and packages", "all but `c/` (except from `d.ts`: why)", "nothing but
 * packages", "any layer"; "(a warning …)" marks a rule not yet enforced.
 */
function fromRow(name: string, where: string, mayImport: string): Layer {
  const layer: Layer = { name, where: paths(where), packages: !/no package/.test(mayImport) };
  if (mayImport.startsWith('only ')) layer.mayImport = paths(mayImport);
  else if (mayImport.startsWith('nothing ')) layer.mayImport = [];
  else if (mayImport.startsWith('all but ')) {
    const [forbidden = '', exception = ''] = mayImport.split('(except from ');
    layer.mustNotImport = paths(forbidden);
    if (exception) layer.exceptFrom = paths(exception);
  } else expect(mayImport, name).toBe('any layer');
  if (/a warning/.test(mayImport)) layer.severity = 'warn';
  return layer;
}

const sorted = (layer: Layer): Layer => ({
  ...layer,
  where: [...layer.where].sort(),
  ...(layer.mayImport && { mayImport: [...layer.mayImport].sort() }),
  ...(layer.mustNotImport && { mustNotImport: [...layer.mustNotImport].sort() }),
  ...(layer.exceptFrom && { exceptFrom: [...layer.exceptFrom].sort() }),
});

it('docs/architecture.md shows the layers the boundary check enforces', () => {
  expect(documentedLayers().map(sorted)).toEqual(layers.map(sorted));
});

it('reads the table it is meant to check', () => {
  const domain = documentedLayers().find((layer) => layer.name === 'domain');
  expect(domain).toEqual({
    name: 'domain',
    where: ['src/domain/'],
    mayImport: ['src/domain/'],
    packages: false,
  });
});

it('places every folder and top-level file of src/, and drivers/, in exactly one layer', () => {
  const entries = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).map((entry) =>
    entry.isDirectory() ? `src/${entry.name}/` : `src/${entry.name}`,
  );
  const placed = layers.flatMap((layer) => layer.where);
  // A folder inside a placed folder (src/web/ui/ in src/web/) is a narrower layer within it: its
  // own rule applies on top of its parent's. It must exist.
  const within = (path: string) => placed.some((p) => p !== path && path.startsWith(p));
  expect(placed.filter((p) => !within(p)).sort()).toEqual([...entries, 'drivers/'].sort());
  for (const nested of placed.filter(within))
    expect(existsSync(join(ROOT, nested)), nested).toBe(true);
});

it('names only files and folders that exist, so a move or a rename cannot leave it behind', () => {
  const text = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const named = [...text.matchAll(/`((?:src|drivers|docs|test)\/[^`\s]*)`/g)].map(
    (m) => m[1] ?? '',
  );
  expect(named.length).toBeGreaterThan(30);
  expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
});
