import type { StepResult } from './selftest.js';

/** The report printed at the end: one line per step, then the count. */
export function selftestReport(model: string, results: readonly StepResult[]): string[] {
  const width = Math.max(...results.map((r) => r.step.length), 4);
  const lines = [`Self test of ${model}:`];
  for (const r of results) {
    lines.push(`  ${r.verdict.toUpperCase().padEnd(7)} ${r.step.padEnd(width)}  ${r.detail}`);
  }
  const count = (verdict: StepResult['verdict']) =>
    results.filter((r) => r.verdict === verdict).length;
  lines.push(`${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped`);
  return lines;
}
