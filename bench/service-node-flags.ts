import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';

/** The shipped unit, relative to the package root. */
export const SERVICE_UNIT = join('systemd', 'keywarden.service');

/**
 * The options the shipped systemd unit gives `node` before the script (the V8 memory flags),
 * so that a benchmark runs the daemon exactly as systemd does. Throws if the unit has no
 * `ExecStart=` running node, rather than measuring a daemon started differently.
 */
export function serviceNodeFlags(
  unitText = readFileSync(join(packageRoot(), SERVICE_UNIT), 'utf8'),
): string[] {
  const execStart = /^ExecStart=(.*)$/m.exec(unitText)?.[1];
  const words = execStart?.trim().split(/\s+/) ?? [];
  if (!words[0]?.endsWith('/node')) {
    throw new Error(`${SERVICE_UNIT}: no ExecStart= running node (found: ${execStart ?? 'none'})`);
  }
  const script = words.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  return words.slice(1, script === -1 ? undefined : script);
}
