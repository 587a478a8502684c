/**
 * `npm run build`'s second half: bundles each page of src/web/ui/<page>/main.tsx (Preact, with
 * the CSS it imports) into dist/web/assets/<page>.js and <page>.css, minified, with a gzip twin
 * of each that the server sends to browsers that take it. Nothing is fetched at run time.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { packageRoot } from '../paths.js';

const root = packageRoot();
const pages = join(root, 'src', 'web', 'ui');
const out = join(root, 'dist', 'web', 'assets');

const entries = readdirSync(pages, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(pages, entry.name, 'main.tsx')))
  .map((entry) => ({ in: join(pages, entry.name, 'main.tsx'), out: entry.name }));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: entries,
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  // Chromium on Raspberry Pi OS Bookworm and the browsers a custodian's office has.
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(pages, 'tsconfig.json'),
  legalComments: 'none',
  logLevel: 'warning',
});

// The pages' icon, so no browser asks for a /favicon.ico that is not there.
copyFileSync(join(pages, 'shared', 'icon.svg'), join(out, 'icon.svg'));

const sizes: string[] = [];
for (const name of readdirSync(out)) {
  const body = readFileSync(join(out, name));
  const gzipped = gzipSync(body, { level: 9 });
  writeFileSync(join(out, `${name}.gz`), gzipped);
  sizes.push(`${name} ${(gzipped.length / 1024).toFixed(1)} KB gzipped`);
}
console.log(`ui: ${sizes.join(', ')}`);
