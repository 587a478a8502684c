// Sums vitest JSON reports (--reporter=json) into the CI's last line, "N passed, M failed".
// Usage: node .ci/vitest-counts.mjs <report.json>...
// A report that is missing (the type check or the build failed first) counts as one failure.
// A test file that failed to load counts as one failure. A skipped fault scenario (test/faults/)
// counts as a failure: the fault suite proves nothing about a scenario it did not run (the
// disk-full one skips itself when it cannot mount a small filesystem, i.e. when not root).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const problems = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    failed += 1;
    problems.push(`${file}: no report (the run stopped before the tests)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    if (suite.status === 'failed' && tests.every((t) => t.status !== 'failed')) {
      failed += 1;
      problems.push(
        `${suite.name}: failed outside any test: ${(suite.message ?? '').split('\n')[0]}`,
      );
    }
    for (const test of tests) {
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') failed += 1;
      else if (suite.name.includes('/test/faults/')) {
        failed += 1;
        problems.push(
          `${suite.name}: "${test.fullName}" was ${test.status}: fault scenarios must run`,
        );
      }
    }
  }
}
for (const problem of problems) console.log(`ci: ${problem}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
