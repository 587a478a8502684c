import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceNice, serviceNodeFlags } from '../../bench/service-node-flags.js';

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

describe("the unit's priority, as the benchmarks take it", () => {
  it('is Nice=-10 on the shipped unit: the main thread ahead of its own helper threads', () => {
    expect(serviceNice(readFileSync(join(ROOT, 'systemd', 'keywarden.service'), 'utf8'))).toBe(-10);
  });

  it('is 0 without Nice=, and a value outside -20..19 or not a number is refused', () => {
    expect(serviceNice('ExecStart=/usr/bin/node x.js\n')).toBe(0);
    expect(serviceNice('Nice=5\n')).toBe(5);
    for (const bad of ['-21', '20', 'high', '1.5', ''])
      expect(() => serviceNice(`Nice=${bad}\n`)).toThrow(/is not a nice value/);
  });
});
