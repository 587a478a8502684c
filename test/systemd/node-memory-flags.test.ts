import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceNodeFlags } from '../../bench/service-node-flags.js';

/**
 * The daemon's memory goals (bench/README.md, daemon-memory) are met with V8 flags, not in
 * code: every place that starts the daemon must pass them. The benchmark takes them from the
 * unit (serviceNodeFlags), so what it measures is what systemd runs.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const unitFlags = serviceNodeFlags(
  readFileSync(join(ROOT, 'systemd', 'keywarden.service'), 'utf8'),
);

describe("the node flags that bound the daemon's memory", () => {
  it('are on the shipped unit: a small young generation and a heap that collects early, no cap', () => {
    expect(unitFlags).toEqual(
      expect.arrayContaining([
        '--optimize-for-size',
        expect.stringMatching(/^--max-semi-space-size=\d+$/),
      ]),
    );
    // A heap cap would kill the daemon on a large permission sync instead of letting it grow.
    expect(unitFlags.filter((f) => f.startsWith('--max-old-space-size'))).toEqual([]);
  });

  it('are the same for `npm start`', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    const words = pkg.scripts.start.split(/\s+/);
    expect(words[0]).toBe('node');
    expect(words.slice(1, 1 + unitFlags.length)).toEqual(unitFlags);
    expect(words[1 + unitFlags.length]).toBe('dist/src/cli/main.js');
  });

  it('are read from ExecStart as far as the script, and a unit without node is refused', () => {
    expect(serviceNodeFlags('ExecStart=/usr/bin/node --a=1 --b /opt/x.js run --c\n')).toEqual([
      '--a=1',
      '--b',
    ]);
    expect(() => serviceNodeFlags('ExecStart=/opt/keywarden/start.sh\n')).toThrow(
      /no ExecStart= running node/,
    );
  });
});
