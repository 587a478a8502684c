import type { Logger } from '../log/logger.js';

export interface LoopWatchdogOptions {
  /** How often a ping is due (half of systemd's WatchdogSec). */
  intervalMs: number;
  /** Sends WATCHDOG=1. */
  ping: () => unknown;
  /** Monotonic milliseconds. */
  now: () => number;
  logger: Logger;
}

/**
 * Pings systemd's watchdog only while the loop it watches (the cabinet's tick, which runs the
 * relock, held-open and alarm timers) has run within the last interval. A timer that merely
 * fires would keep a daemon alive whose cabinet no longer reacts; tied to the tick, a wedged or
 * stopped loop stops the pings, and systemd restarts the daemon (ExecStopPost drives the
 * outputs off first).
 */
export class LoopWatchdog {
  private lastBeat: number;
  private timer: NodeJS.Timeout | undefined;
  private stalled = false;

  constructor(private readonly options: LoopWatchdogOptions) {
    this.lastBeat = options.now();
  }

  /** The watched loop has just completed a round. */
  beat(): void {
    this.lastBeat = this.options.now();
    if (this.stalled) {
      this.stalled = false;
      this.options.logger.info('cabinet tick loop running again; watchdog pings resumed');
    }
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), this.options.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One due ping: sent if the loop is alive, withheld (and said so, once) if it is not. */
  check(): void {
    const sinceBeat = this.options.now() - this.lastBeat;
    if (sinceBeat <= this.options.intervalMs) {
      this.options.ping();
      return;
    }
    if (!this.stalled) {
      this.stalled = true;
      this.options.logger.error(
        { sinceBeatMs: Math.round(sinceBeat) },
        'cabinet tick loop stalled; withholding watchdog pings so systemd restarts the daemon',
      );
    }
  }
}
