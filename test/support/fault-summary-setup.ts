import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFaultTable, readFaultOutcomes, removeFaultOutcomes } from './fault-summary.js';

/**
 * Vitest global setup: gives every worker one summary file (through the environment, which
 * forked workers inherit) and prints the fault table after the run, when any fault ran.
 */
export default function setup(): () => void {
  const file = join(tmpdir(), `keywarden-fault-summary-${process.pid}-${Date.now()}.jsonl`);
  process.env.KEYWARDEN_FAULT_SUMMARY = file;
  removeFaultOutcomes(file);
  return () => {
    const outcomes = readFaultOutcomes(file);
    if (outcomes.length > 0) {
      process.stdout.write(`\nFault-injection summary\n${formatFaultTable(outcomes)}\n`);
    }
    removeFaultOutcomes(file);
  };
}
