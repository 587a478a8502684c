import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * The boundary check bites: run on a small tree that breaks each rule once (and keeps two
 * allowed imports: the app from the CLI, the daemon from `keywarden run`), the real configuration reports exactly those imports, and fails.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.mjs');

/** Each file of the tree and what it imports, written the way the project writes imports. */
const TREE: Record<string, string[]> = {
  'src/domain/policy.ts': ['../store/records.js', 'node:fs', './model.js'],
  'src/domain/model.ts': [],
  'drivers/reader.ts': ['../src/errors.js', 'node:events'],
  'src/errors.ts': [],
  'src/store/records.ts': ['../domain/model.js', '../app/operations.js'],
  'src/app/operations.ts': ['./audit.js'],
  'src/app/audit.ts': ['./operations.js'],
  'src/cli/main.ts': ['../daemon/daemon.js', '../app/operations.js'],
  // The one command allowed to start the daemon.
  'src/cli/commands/run.ts': ['../../daemon/daemon.js'],
  'src/daemon/daemon.ts': [],
};

let tree: string;

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'keywarden-layers-'));
  for (const [file, imports] of Object.entries(TREE)) {
    mkdirSync(join(tree, dirname(file)), { recursive: true });
    const lines = imports.map((target, i) => `import * as m${i} from '${target}';`);
    writeFileSync(join(tree, file), [...lines, 'export const used = [];', ''].join('\n'));
  }
});

afterAll(() => rmSync(tree, { recursive: true, force: true }));

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

const depcruise = (outputType: 'err' | 'json') =>
  promisify(execFile)(
    process.execPath,
    [DEPCRUISE, 'src', 'drivers', '--config', CONFIG, '--output-type', outputType],
    { cwd: tree },
  );

it('fails, as npm run lint does, on a broken boundary', async () => {
  // depcruise's exit status is its count of errors (warnings do not count; a cycle is one).
  const failure = await depcruise('err').then(
    () => ({ code: 0 }),
    (error: { code: number }) => error,
  );
  expect(failure.code).toBe(6);
});

it('reports each broken boundary and the cycle, and nothing allowed', async () => {
  const { stdout } = await depcruise('json');
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  const found = report.summary.violations.map(
    (v) => `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}`,
  );
  expect(found.sort()).toEqual(
    [
      'error domain-imports-only-its-own: src/domain/policy.ts → src/store/records.ts',
      'error domain-imports-only-its-own: src/domain/policy.ts → fs',
      'error drivers-imports-only-its-own: drivers/reader.ts → src/errors.ts',
      'error store-imports-only-its-own: src/store/records.ts → src/app/operations.ts',
      // A cycle is reported once, at the first module of it found.
      'error no-cycles: src/app/audit.ts → src/app/operations.ts',
      'error adapters-must-not-import: src/cli/main.ts → src/daemon/daemon.ts',
    ].sort(),
  );
});
