import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own directory, where hardware/ and migrations/ live. Found by walking up from
 * this module, so it is the same whether the code runs from src/ (tests) or dist/src/ (built).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isKeywarden(manifest)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the keywarden package directory');
    dir = parent;
  }
}

function isKeywarden(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'keywarden';
  } catch {
    return false;
  }
}

export function packageVersion(): string {
  const manifest = join(packageRoot(), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export const migrationsDir = (): string => join(packageRoot(), 'migrations');
export const hardwareDir = (): string => join(packageRoot(), 'hardware');
