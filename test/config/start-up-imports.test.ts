import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

/**
 * What the CLI loads before the daemon drives its outputs off: every module main.ts reaches by
 * static imports (run.ts loads the daemon itself with a dynamic import, after the outputs are
 * off). Config and profile validation must not bring Ajv's compiler or TypeBox into that path
 * (together ~10 MB and well over 100 ms on a Pi): the generated validators replace both.
 */
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?'([^']+)'/gm;

function staticImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      if (existsSync(target)) visit(target);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('start-up imports', () => {
  const root = packageRoot();
  const { files, packages } = staticImports(join(root, 'src', 'cli', 'main.ts'));

  it('the walk reaches the config and profile loaders and their generated validators', () => {
    for (const file of ['config.ts', 'profile.ts', 'generated/config-validator.ts']) {
      expect(files.has(join(root, 'src', 'config', file)), file).toBe(true);
    }
  });

  it('loads neither Ajv nor TypeBox before the outputs are off', () => {
    const schemaTools = [...packages].filter(
      (name) => name === 'ajv' || name.startsWith('ajv/') || name.startsWith('@sinclair/typebox'),
    );
    expect(schemaTools).toEqual([]);
  });
});
