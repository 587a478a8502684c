import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The fault suite's summary table. Each fault scenario reports what it injected and what it
 * checked with `recordFaultOutcome`; test/support/fault-summary-setup.ts (a vitest global
 * setup) prints the table once every file has run. Files run in separate worker processes, so
 * the outcomes meet in a JSON-lines file rather than in memory.
 */
export interface FaultOutcome {
  /** The scenario, as named by its file (e.g. `daemon-killed-at-random-moments`). */
  scenario: string;
  /** Faults injected: kills, frames, card numbers, clock jumps … */
  injections: number;
  /** Events the scenario compared against what it expected. */
  eventsChecked: number;
  /** Committed events that never reached the consumer, or gaps in the sequence. */
  eventsLost: number;
  /** Releases no grant, emergency or wrong-slot rule accounts for. */
  keysWronglyReleased: number;
  /** Daemon exits nobody asked for. */
  crashes: number;
}

export const FAULT_SUMMARY_FILE = join(tmpdir(), `keywarden-fault-summary-${process.ppid}.jsonl`);

export function recordFaultOutcome(outcome: FaultOutcome): void {
  appendFileSync(
    process.env.KEYWARDEN_FAULT_SUMMARY ?? FAULT_SUMMARY_FILE,
    `${JSON.stringify(outcome)}\n`,
  );
}

export function readFaultOutcomes(file: string): FaultOutcome[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FaultOutcome);
}

export function formatFaultTable(outcomes: readonly FaultOutcome[]): string {
  const header = [
    'scenario',
    'injections',
    'events checked',
    'events lost',
    'keys wrongly released',
    'crashes',
  ];
  const rows = outcomes.map((o) => [
    o.scenario,
    String(o.injections),
    String(o.eventsChecked),
    String(o.eventsLost),
    String(o.keysWronglyReleased),
    String(o.crashes),
  ]);
  const total = (pick: (o: FaultOutcome) => number) =>
    String(outcomes.reduce((sum, o) => sum + pick(o), 0));
  rows.push([
    'total',
    total((o) => o.injections),
    total((o) => o.eventsChecked),
    total((o) => o.eventsLost),
    total((o) => o.keysWronglyReleased),
    total((o) => o.crashes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function removeFaultOutcomes(file: string): void {
  rmSync(file, { force: true });
}
