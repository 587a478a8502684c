import { once, type EventEmitter } from 'node:events';
import { waitFor as poll } from '../../../support/wait-for.js';

const DEFAULT_TIMEOUT_MS = 5000;

/** The arguments of the next `event`, or a rejection naming the event if it never comes. */
export async function nextEvent(
  emitter: EventEmitter,
  event: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<unknown[]> {
  try {
    const args: unknown[] = await once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) });
    return args;
  } catch (err) {
    throw new Error(`no '${event}' event within ${timeoutMs} ms`, { cause: err });
  }
}

/** Resolves once `condition` holds (test/support/wait-for.ts), with the drivers' shorter timeout. */
export function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  return poll(condition, what, timeoutMs);
}

/** Every emission of `event`, in order, as the first argument. */
export function record<T>(emitter: EventEmitter, event: string): T[] {
  const seen: T[] = [];
  emitter.on(event, (value: T) => seen.push(value));
  return seen;
}
