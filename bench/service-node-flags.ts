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

/**
 * The shipped unit's `Nice=` (0 when it sets none): the priority systemd starts the daemon at,
 * which the daemon keeps for its main thread alone (src/platform/background-threads.ts).
 */
export function serviceNice(
  unitText = readFileSync(join(packageRoot(), SERVICE_UNIT), 'utf8'),
): number {
  const value = /^Nice=(.*)$/m.exec(unitText)?.[1]?.trim();
  if (value === undefined) return 0;
  if (!/^-?\d+$/.test(value) || Number(value) < -20 || Number(value) > 19) {
    throw new Error(`${SERVICE_UNIT}: Nice=${value} is not a nice value (-20 to 19)`);
  }
  return Number(value);
}
