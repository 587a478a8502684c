import type { Logger } from '../log/logger.js';
import { LoopWatchdog } from '../platform/loop-watchdog.js';
import { SdNotify, type NotifySpawner } from '../platform/sd-notify.js';

export interface ServiceManagerOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  pid?: number;
  spawn?: NotifySpawner;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/**
 * What systemd hears from the daemon: readiness once the cabinet is up, watchdog pings tied to
 * the cabinet's tick loop, and stopping. Does nothing when not run by systemd as Type=notify.
 */
export class ServiceManagerLink {
  private readonly notify: SdNotify | undefined;
  private readonly watchdog: LoopWatchdog | undefined;

  constructor(options: ServiceManagerOptions) {
    const logger = options.logger.child({ module: 'systemd' });
    this.notify = SdNotify.fromEnvironment({
      env: options.env ?? process.env,
      pid: options.pid ?? process.pid,
      logger,
      ...(options.spawn ? { spawn: options.spawn } : {}),
    });
    const notify = this.notify;
    const intervalMs = notify?.watchdogIntervalMs;
    if (notify && intervalMs !== undefined) {
      let inFlight = false;
      this.watchdog = new LoopWatchdog({
        intervalMs,
        now: options.now ?? (() => performance.now()),
        logger,
        // One systemd-notify at a time: a slow manager must not pile up processes on a Pi.
        ping: () => {
          if (inFlight) return;
          inFlight = true;
          void notify.watchdog().finally(() => (inFlight = false));
        },
      });
    }
  }

  /** The cabinet's tick has run. */
  tick(): void {
    this.watchdog?.beat();
  }

  /** Outputs are off, the database is open, the readers are started. */
  ready(): void {
    if (!this.notify) return;
    void this.notify.ready();
    this.watchdog?.beat();
    this.watchdog?.start();
  }

  stopping(): Promise<void> {
    this.watchdog?.stop();
    return this.notify?.stopping() ?? Promise.resolve();
  }
}
