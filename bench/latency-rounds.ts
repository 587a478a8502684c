import { encodeRdm6300 } from '../src/sim/reader-frames.js';
import type { EventLog } from '../src/store/event-log.js';
import type { BadgeSample, BadgeSampler } from './badge-sampler.js';
import type { BareCommitSampler } from './commit-sampler.js';
import { settle, type PacingOptions } from './pacing.js';
import { randomInt, type Random } from './prng.js';
import type { PtyDeliveryProbe } from './pty-delivery.js';
import { WRITE_MODES, type WriteMode } from './pty-writer.js';

/** Any valid frame: the bare port only counts bytes, and has no debouncer to satisfy. */
const PTY_FRAME = encodeRdm6300('100086F444');

export interface Series {
  /** Bare pty delivery times (ms). */
  pty: number[];
  /** Bare fsync'd SQLite commits on the daemon's disk (ms). */
  commit: number[];
  badge: BadgeSample[];
  /** Frames whose last byte never reached the bare port within the timeout. */
  ptyLost: number;
  /** Badges after which no solenoid was energised within the timeout. */
  badgeMissed: number;
}

export interface RoundsResult {
  series: Record<WriteMode, Series>;
  /** Measured rounds completed (each one sample of every kind in every write mode). */
  rounds: number;
  /** Times the outbox had not drained when the next sample was due. */
  undrained: number;
  /** The time budget ran out before every round was done. */
  truncated: boolean;
  ms: number;
}

export interface RoundsOptions {
  warmup: number;
  rounds: number;
  /** Stop starting rounds after this long, so the run is bounded whatever happens. */
  budgetMs: number;
  sampleTimeoutMs: number;
  pacing: PacingOptions;
  random: Random;
  cards: readonly string[];
}

/** The floors each badge is compared with, sampled next to it. */
export interface Baselines {
  pty: PtyDeliveryProbe;
  commit: BareCommitSampler;
}

/**
 * Warm-up rounds, then measured ones. Each round takes, in both write modes, one bare pty
 * delivery sample, one bare commit sample and one badge sample, each on an idle daemon.
 * Interleaving them means all series see the same machine at the same moments (other load,
 * page cache, the disk's flush queue), so their difference is the daemon's and not the hour's.
 */
export async function runRounds(
  sampler: BadgeSampler,
  baselines: Baselines,
  log: EventLog,
  options: RoundsOptions,
): Promise<RoundsResult> {
  const started = performance.now();
  const series = { async: emptySeries(), sync: emptySeries() };
  const result: RoundsResult = { series, rounds: 0, undrained: 0, truncated: false, ms: 0 };
  const pause = async (): Promise<void> => {
    if (!(await settle(log, options.random, options.pacing))) result.undrained += 1;
  };
  let previous = '';
  const nextCard = (): string => {
    previous = pickCard(options.random, options.cards, previous);
    return previous;
  };

  for (let round = 0; round < options.warmup + options.rounds; round++) {
    if (performance.now() - started > options.budgetMs) {
      result.truncated = true;
      break;
    }
    const measured = round >= options.warmup;
    // Alternate which mode goes first, so neither always follows the other.
    const modes = round % 2 === 0 ? WRITE_MODES : [...WRITE_MODES].reverse();
    for (const mode of modes) {
      const s = series[mode];
      const delivery = await baselines.pty.measure(PTY_FRAME, mode, options.sampleTimeoutMs);
      await pause();
      const commit = baselines.commit.measure();
      await pause();
      const badge = await sampler.present(nextCard(), mode);
      await pause();
      if (!measured) continue;
      if (delivery === null) s.ptyLost += 1;
      else s.pty.push(delivery);
      s.commit.push(commit);
      if (badge === null) s.badgeMissed += 1;
      else s.badge.push(badge);
    }
    if (measured) result.rounds += 1;
  }
  result.ms = performance.now() - started;
  return result;
}

function emptySeries(): Series {
  return { pty: [], commit: [], badge: [], ptyLost: 0, badgeMissed: 0 };
}

/** A random holder's card, never the one just presented (that would be the same presentation). */
function pickCard(random: Random, cards: readonly string[], previous: string): string {
  for (;;) {
    const card = cards[randomInt(random, 0, cards.length - 1)];
    if (card !== undefined && card !== previous) return card;
  }
}
