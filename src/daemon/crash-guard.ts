import type { Logger } from '../log/logger.js';

export interface CrashGuardOptions {
  /** Drives every output off, synchronously (Daemon.failSafe). */
  failSafe: () => void;
  logger: Logger;
  exit: (code: number) => void;
}

/** Where the guard listens: `process`, or a stand-in in tests. */
export interface CrashSource {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
}

/**
 * Fail secure on a bug: on any unhandled error or rejection every output goes off, then the
 * process exits 1 and systemd restarts it (ExecStopPost drives the outputs off once more). The
 * outputs go off even if logging fails, and the process exits even if driving them off fails.
 */
export function installCrashGuard(source: CrashSource, options: CrashGuardOptions): void {
  let crashed = false;
  const crash = (err: unknown) => {
    // A second error while handling the first: the first handler is already on its way out.
    if (crashed) return;
    crashed = true;
    try {
      options.failSafe();
    } catch (failErr) {
      try {
        options.logger.fatal({ err: failErr }, 'could not drive every output off');
      } catch {
        // Exiting matters more than the log line.
      }
    }
    try {
      options.logger.fatal({ err }, 'unhandled error: outputs driven off, exiting');
    } catch {
      // Same.
    } finally {
      options.exit(1);
    }
  };
  source.on('uncaughtException', crash);
  source.on('unhandledRejection', crash);
}
