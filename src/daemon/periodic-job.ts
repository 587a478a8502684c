import type { Logger } from '../log/logger.js';

/**
 * Runs `job` every `ms` until the returned function is called. A failure (the database refusing
 * writes: the storage alarm) is logged, not thrown: an exception from a timer would take the
 * daemon down.
 */
export function every(ms: number, name: string, job: () => unknown, logger: Logger): () => void {
  const timer = setInterval(() => {
    try {
      job();
    } catch (err) {
      logger.warn({ err, job: name }, 'periodic job failed');
    }
  }, ms);
  return () => clearInterval(timer);
}
