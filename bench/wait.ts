import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every `everyMs` until it holds (true) or `timeoutMs` passes (false). */
export async function pollUntil(
  condition: () => boolean,
  timeoutMs: number,
  everyMs = 1,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Like pollUntil, but a timeout is an error naming what did not happen. */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs: number,
  everyMs = 10,
): Promise<void> {
  if (!(await pollUntil(condition, timeoutMs, everyMs))) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}
