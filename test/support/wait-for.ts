import { setTimeout as timer } from 'node:timers/promises';

/** How often waitFor looks again: a poll interval, not a guess at how long something takes. */
const POLL_MS = 20;

/**
 * Polls a condition (sync or async) until it holds, or fails with the description after the
 * timeout. Tests wait for the state they need with this, never for a fixed time.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await timer(POLL_MS);
  }
}

/**
 * Lets real time pass on purpose, where the time itself is the scenario: a reader's wire rate,
 * a door bounce shorter than its debounce, a kill at a random moment, a broker's expiry clock.
 * Never to wait for something to happen (use waitFor, or a later marker event). `why` is
 * there for the reader of the test; test/support/no-fixed-sleeps.test.ts allows only this.
 */
export function pace(ms: number, why: string): Promise<void> {
  void why;
  return timer(ms);
}
