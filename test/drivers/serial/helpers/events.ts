import { once, type EventEmitter } from 'node:events';

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

/** Resolves once `condition` holds, polling; rejects with `what` if it never does. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every emission of `event`, in order, as the first argument. */
export function record<T>(emitter: EventEmitter, event: string): T[] {
  const seen: T[] = [];
  emitter.on(event, (value: T) => seen.push(value));
  return seen;
}
