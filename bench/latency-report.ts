import type { BadgeSample } from './badge-sampler.js';
import type { RoundsResult } from './latency-rounds.js';
import { WRITE_MODES, type WriteMode } from './pty-writer.js';
import { roundMs, roundSummary, summarise, type Summary } from './stats.js';

/**
 * The goal: badge→solenoid p99 ≤ pty delivery p99 + bare commit p99 + this margin,
 * all three from the same run. The two floors are what no daemon can avoid (the bytes must
 * arrive, the event must be on disk before the solenoid moves); the margin is the daemon's own.
 */
export const GOAL_MARGIN_MS = 0.5;

/**
 * The mode the goal is judged in. The issue says "after the write call resolves", but with an
 * async write that instant can come after the daemon has already acted on the bytes (negative
 * samples, see README.md); fs.writeSync returning is the instant the last byte is in the pty.
 */
export const GOAL_MODE: WriteMode = 'sync';

export interface ModeFigures {
  pty: Summary;
  commit: Summary;
  badge: Summary;
  /** Badge minus pty, percentile by percentile (not a percentile of per-sample differences). */
  aboveP50: number;
  aboveP99: number;
  /** pty p99 + bare commit p99 + GOAL_MARGIN_MS: the most the badge p99 may be. */
  allowedP99: number;
  goalMet: boolean;
  stages: Record<keyof Omit<BadgeSample, 'latency'>, { p50: number; p99: number }>;
  /** Samples with t1 < t0: the write's completion was handled after the bytes were acted on. */
  negative: { pty: number; badge: number };
  ptyLost: number;
  badgeMissed: number;
}

export function figuresFor(result: RoundsResult, mode: WriteMode): ModeFigures {
  const s = result.series[mode];
  const pty = roundSummary(summarise(s.pty));
  const commit = roundSummary(summarise(s.commit));
  const badge = roundSummary(summarise(s.badge.map((b) => b.latency)));
  const stage = (pick: (b: BadgeSample) => number): { p50: number; p99: number } => {
    const summary = summarise(s.badge.map(pick));
    return { p50: roundMs(summary.p50), p99: roundMs(summary.p99) };
  };
  const allowedP99 = roundMs(pty.p99 + commit.p99 + GOAL_MARGIN_MS);
  return {
    pty,
    commit,
    badge,
    aboveP50: roundMs(badge.p50 - pty.p50),
    aboveP99: roundMs(badge.p99 - pty.p99),
    allowedP99,
    goalMet: badge.p99 <= allowedP99,
    stages: {
      reading: stage((b) => b.reading),
      deciding: stage((b) => b.deciding),
      committing: stage((b) => b.committing),
      driving: stage((b) => b.driving),
    },
    negative: {
      pty: s.pty.filter((x) => x < 0).length,
      badge: s.badge.filter((b) => b.latency < 0).length,
    },
    ptyLost: s.ptyLost,
    badgeMissed: s.badgeMissed,
  };
}

const MODE_TITLES: Record<WriteMode, string> = {
  async: 't0 when FileHandle.write() resolves (write(2) on a libuv worker; t0 comes late)',
  sync: 't0 when fs.writeSync() returns (the instant the last byte is in the pty)',
};

export function modeLines(mode: WriteMode, f: ModeFigures): string[] {
  const row = (label: string, s: Summary): string =>
    `  ${label.padEnd(18)}${[s.p50, s.p90, s.p99, s.max, s.min].map(ms).join('')}${String(s.n).padStart(7)}`;
  const goal = `${f.goalMet ? 'MET' : 'MISSED'}: ${goalText(f)}`;
  return [
    `write mode "${mode}": ${MODE_TITLES[mode]}`,
    `  ${''.padEnd(18)}${['p50', 'p90', 'p99', 'max', 'min'].map((h) => h.padStart(9)).join('')}${'n'.padStart(7)}  (ms)`,
    row('pty delivery', f.pty),
    row('bare commit', f.commit),
    row('badge→solenoid', f.badge),
    `  ${'above the pty'.padEnd(18)}${ms(f.aboveP50)}${''.padStart(9)}${ms(f.aboveP99)}   p50, p99`,
    `  stages, p50 / p99: reading ${pair(f.stages.reading)}, deciding ${pair(f.stages.deciding)}, ` +
      `committing ${pair(f.stages.committing)}, driving ${pair(f.stages.driving)}`,
    ...(f.negative.pty + f.negative.badge > 0
      ? [
          `  t1 before t0 in ${f.negative.pty} pty and ${f.negative.badge} badge samples: ` +
            'the write completed after the bytes were already read',
        ]
      : []),
    `  goal ${mode === GOAL_MODE ? '' : '(not judged in this mode) '}${goal}`,
  ];
}

export function modesLines(figures: Record<WriteMode, ModeFigures>): string[] {
  return WRITE_MODES.flatMap((mode) => [...modeLines(mode, figures[mode]), '']);
}

/** The goal's comparison with its terms, so a reader sees which term decided it. */
export function goalText(f: ModeFigures): string {
  const relation = f.goalMet ? '≤' : '>';
  return (
    `badge→solenoid p99 ${f.badge.p99.toFixed(3)} ms ${relation} pty p99 ${f.pty.p99.toFixed(3)} + ` +
    `bare commit p99 ${f.commit.p99.toFixed(3)} + ${GOAL_MARGIN_MS} = ${f.allowedP99.toFixed(3)} ms`
  );
}

function ms(value: number): string {
  return value.toFixed(3).padStart(9);
}

function pair(p: { p50: number; p99: number }): string {
  return `${p.p50.toFixed(3)} / ${p.p99.toFixed(3)}`;
}
