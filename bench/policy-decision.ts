import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideAccess } from '../src/domain/access-decision.js';
import { policyInputsOf } from '../src/domain/policy/policy-inputs.js';
import { openDatabase } from '../src/store/database.js';
import { SqliteDirectory } from '../src/store/sqlite-directory.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { seedPolicy } from './policy-seed.js';
import { randomInt, seededRandom } from './prng.js';
import { roundMs, summarise, type Summary } from './stats.js';

const SETTINGS = {
  scales: [1_000, 100_000, 1_000_000],
  warmup: 2_000,
  samples: 20_000,
  timeZone: 'Europe/London',
  /** A Tuesday evening: schedules are read, some open, some closed. */
  now: Date.parse('2026-11-24T18:30:00Z'),
  seed: 20_261_124,
  goalP99Ms: 1,
  goalRatio: 2,
} as const;

interface Scale {
  holders: number;
  seedSeconds: number;
  granted: number;
  decision: Summary;
}

/**
 * One badge decision with the access policy, as the flow makes it: the card, the holder, the
 * direct permissions, the open loans, the groups and their grants (key sets and schedules
 * resolved) through SqliteDirectory, then decideAccess. Measured per decision, in-process, at
 * three scales of the same proportions (bench/policy-seed.ts).
 */
export const policyDecision = {
  name: 'policy-decision',
  run(): BenchmarkResult {
    const scales: Scale[] = [];
    for (const holders of SETTINGS.scales) scales.push(measure(holders));
    const smallest = scales[0]?.decision.p99 ?? Number.NaN;
    const largest = scales.at(-1)?.decision.p99 ?? Number.NaN;
    const ratio = largest / smallest;
    const goalMet =
      scales.every((s) => s.decision.p99 < SETTINGS.goalP99Ms) && ratio <= SETTINGS.goalRatio;
    return {
      lines: [
        ...scales.map(
          (s) =>
            `${s.holders.toLocaleString('en')} holders (seeded in ${s.seedSeconds} s): ` +
            `p50 ${roundMs(s.decision.p50)} ms, p90 ${roundMs(s.decision.p90)} ms, ` +
            `p99 ${roundMs(s.decision.p99)} ms, max ${roundMs(s.decision.max)} ms ` +
            `(${s.granted} of ${s.decision.n} granted)`,
        ),
        `p99 largest/smallest: ${ratio.toFixed(2)}× (goal ≤ ${SETTINGS.goalRatio}×, p99 < ${SETTINGS.goalP99Ms} ms): ` +
          (goalMet ? 'met' : 'NOT met'),
      ],
      data: {
        scales: scales.map((s) => ({
          holders: s.holders,
          seedSeconds: s.seedSeconds,
          granted: s.granted,
          p50Ms: roundMs(s.decision.p50),
          p90Ms: roundMs(s.decision.p90),
          p99Ms: roundMs(s.decision.p99),
          maxMs: roundMs(s.decision.max),
          n: s.decision.n,
        })),
        p99Ratio: Math.round(ratio * 100) / 100,
      },
      failed: false,
      goalMet,
    };
  },
} satisfies Benchmark;

function measure(holders: number): Scale {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-policy-bench-'));
  try {
    const file = join(dir, 'cabinet.db');
    const random = seededRandom(SETTINGS.seed);
    const seeding = performance.now();
    const { cards } = seedPolicy(file, holders, random);
    const seedSeconds = Math.round((performance.now() - seeding) / 100) / 10;
    const db = openDatabase(file);
    try {
      const directory = new SqliteDirectory(db);
      const decide = (card: string) => {
        const credential = directory.credentialByCard(card);
        const holder = credential ? directory.holder(credential.holderId) : undefined;
        return decideAccess({
          credential,
          holder,
          permissions: holder ? directory.permissionsOf(holder.id) : [],
          keysOut: holder ? directory.openLoansOf(holder.id).length : 0,
          nowMs: SETTINGS.now,
          policy: holder ? policyInputsOf(directory, holder.id, SETTINGS.timeZone) : undefined,
        });
      };
      const pick = () => cards[randomInt(random, 0, cards.length - 1)] ?? '';
      for (let i = 0; i < SETTINGS.warmup; i++) decide(pick());
      const samples: number[] = [];
      let granted = 0;
      for (let i = 0; i < SETTINGS.samples; i++) {
        const card = pick();
        const started = performance.now();
        const decision = decide(card);
        samples.push(performance.now() - started);
        if (decision.granted) granted++;
      }
      return { holders, seedSeconds, granted, decision: summarise(samples) };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
