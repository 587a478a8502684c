import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { format, resolveConfig } from 'prettier';

/**
 * Writes the results as JSON formatted by the repository's Prettier settings: `npm run check`
 * runs `prettier --check .`, and a results file in plain JSON.stringify layout would fail it
 * for everyone working in this checkout.
 */
export async function writeResults(file: string, results: unknown): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  const text = await format(JSON.stringify(results), { ...options, parser: 'json' });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
