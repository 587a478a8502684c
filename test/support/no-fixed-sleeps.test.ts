import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Tests wait for conditions, not time: a fixed sleep passes on a fast machine, fails on a
 * loaded one, and an "expect nothing happened" after one passes when the unwanted thing is
 * merely late. Tests use waitFor, an event, or a later marker event; time that is the scenario
 * itself goes through pace() (test/support/wait-for.ts), which says why.
 *
 * This scans test/ for the ways to wait a fixed time and fails naming file:line, except in the
 * few places below, each a timer that is not a wait for something to happen.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const TEST_DIR = join(ROOT, 'test');
const THIS_FILE = relative(ROOT, import.meta.filename);

const FIXED_WAITS: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\bsleep\s*\(/, what: 'sleep(' },
  { pattern: /\bdelay\s*\(/, what: 'delay(' },
  { pattern: /\bsetTimeout\s*\(/, what: 'setTimeout(' },
  { pattern: /\bsetInterval\s*\(/, what: 'setInterval(' },
  // The promise timers under any name (`import { setTimeout as sleep } ...`).
  { pattern: /['"]node:timers\/promises['"]|['"]timers\/promises['"]/, what: 'timers/promises' },
];

/** Files allowed a number of these, and why each is not a fixed wait. */
const ALLOWED: Readonly<Record<string, { count: number; why: string }>> = {
  'test/support/wait-for.ts': {
    count: 1,
    why: "waitFor's poll interval, and pace() for time that is the scenario",
  },
  'test/support/mosquitto.ts': {
    count: 1,
    why: 'a deadline for the broker to exit, cancelled once it has',
  },
  'test/support/daemon-process.ts': {
    count: 1,
    why: 'a deadline for an awaited log line, cleared when it comes',
  },
  'test/support/pty-pair.ts': {
    count: 1,
    why: 'a deadline for socat to start, cleared when it has',
  },
  'test/support/command-harness.ts': {
    count: 1,
    why: 'a deadline for a command reply, cleared when it comes',
  },
  'test/support/fault-rig.ts': { count: 1, why: "the load's rate: a badge every few ms" },
  'test/drivers/gpio/fake-timers.ts': {
    count: 1,
    why: 'the manual clock defines setTimeout; nothing waits',
  },
};

interface Finding {
  file: string;
  line: number;
  text: string;
  what: string;
}

/** Every fixed-wait construct in `text`, by line. */
function findFixedWaits(file: string, text: string): Finding[] {
  const found: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { pattern, what } of FIXED_WAITS) {
      if (pattern.test(line)) found.push({ file, line: index + 1, text: line.trim(), what });
    }
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('tests wait for conditions, not time', () => {
  it('recognises a sleep, a timer and the promise timers under another name', () => {
    const sample = [
      'await sleep(400);',
      'await new Promise((r) => setTimeout(r, 200));',
      "import { setTimeout as wait } from 'node:timers/promises';",
      'await waitFor(() => done, "done");',
    ].join('\n');
    expect(findFixedWaits('sample.ts', sample).map((f) => `${f.line} ${f.what}`)).toEqual([
      '1 sleep(',
      '2 setTimeout(',
      '3 timers/promises',
    ]);
  });

  it('no test waits a fixed time outside the allowed timers', () => {
    const byFile = new Map<string, Finding[]>();
    for (const path of sourceFiles(TEST_DIR)) {
      const file = relative(ROOT, path);
      if (file === THIS_FILE) continue;
      const found = findFixedWaits(file, readFileSync(path, 'utf8'));
      if (found.length > 0) byFile.set(file, found);
    }
    const problems: string[] = [];
    for (const [file, found] of byFile) {
      const allowed = ALLOWED[file]?.count ?? 0;
      if (found.length > allowed)
        problems.push(
          ...found.map(
            (f) => `${f.file}:${f.line}: ${f.what} in "${f.text}" (use waitFor, a marker or pace)`,
          ),
        );
    }
    // An allowance nobody uses any more goes too, so the list stays true.
    for (const [file, { count }] of Object.entries(ALLOWED)) {
      const used = byFile.get(file)?.length ?? 0;
      if (used < count) problems.push(`${file}: allowed ${count}, uses ${used}: lower ALLOWED`);
    }
    expect(problems).toEqual([]);
  });
});
