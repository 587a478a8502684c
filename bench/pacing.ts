import { setTimeout as sleep } from 'node:timers/promises';
import type { EventLog } from '../src/store/event-log.js';
import { randomInt, type Random } from './prng.js';
import { pollUntil } from './wait.js';

export interface PacingOptions {
  minPauseMs: number;
  maxPauseMs: number;
  /** Longest wait for the outbox to drain before going on anyway. */
  drainTimeoutMs: number;
}

/**
 * Between two samples: let the daemon finish what the last badge started (publishing its
 * events to the broker and marking them sent, which is another fsync'd commit), then pause a
 * random while. The pause is random so samples fall at every phase of the daemon's own timers
 * (100 ms tick, 250 ms external-write poll) instead of locking onto one. Returns false when
 * the outbox did not drain in time.
 */
export async function settle(
  log: EventLog,
  random: Random,
  options: PacingOptions,
): Promise<boolean> {
  const drained = await pollUntil(() => log.depth() === 0, options.drainTimeoutMs);
  await sleep(randomInt(random, options.minPauseMs, options.maxPauseMs));
  return drained;
}
