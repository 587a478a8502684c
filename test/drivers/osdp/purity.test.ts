import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The OSDP core promises to be pure (docs/osdp.md): no port, no timer, no clock, no randomness of
 * its own, only node:crypto's AES. The link that comes next owns all of those; this keeps the
 * core from growing one unnoticed.
 */
const DIR = join(import.meta.dirname, '..', '..', '..', 'drivers', 'osdp');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

describe('drivers/osdp is pure', () => {
  it.each(files)('%s imports only its own files and node:crypto', (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const source of imports) expect(source).toMatch(/^(\.\/[a-z-]+\.js|node:crypto)$/);
  });

  it.each(files)('%s uses no timer, clock or randomness', (file) => {
    // Comments may name them (to say who owns them); code may not.
    const text = readFileSync(join(DIR, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    expect(text).not.toMatch(
      /\b(setTimeout|setInterval|setImmediate|Date\.now|new Date|performance\.now|Math\.random|randomBytes|process\.)/,
    );
  });
});
