import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { formatFaultTable, readFaultOutcomes, recordFaultOutcome } from './fault-summary.js';

it('collects outcomes from a file and totals them in the table', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kw-summary-')), 'out.jsonl');
  const previous = process.env.KEYWARDEN_FAULT_SUMMARY;
  process.env.KEYWARDEN_FAULT_SUMMARY = file;
  try {
    const base = { eventsChecked: 10, eventsLost: 0, keysWronglyReleased: 0, crashes: 0 };
    recordFaultOutcome({ scenario: 'a', injections: 3, ...base });
    recordFaultOutcome({ scenario: 'b', injections: 4, ...base, eventsLost: 1 });
  } finally {
    if (previous === undefined) delete process.env.KEYWARDEN_FAULT_SUMMARY;
    else process.env.KEYWARDEN_FAULT_SUMMARY = previous;
  }
  const outcomes = readFaultOutcomes(file);
  expect(outcomes.map((o) => o.scenario)).toEqual(['a', 'b']);
  const table = formatFaultTable(outcomes).split('\n');
  expect(table[0]).toMatch(/^\| scenario \| injections \| events checked/);
  expect(table.at(-1)).toMatch(/^\| total\s+\|\s+7 \|\s+20 \|\s+1 \|/);
});
