import { execFile } from 'node:child_process';
import type { Logger } from '../log/logger.js';

/**
 * Runs `systemd-notify` with these arguments and settles when it has exited. Injected in tests.
 * Node has no Unix datagram sockets, so the message is sent by a child process; the unit must
 * say `NotifyAccess=all` for systemd to accept it.
 */
export type NotifySpawner = (args: readonly string[]) => Promise<void>;

/**
 * No `--no-block`: systemd-notify waits until the manager has read the message (BARRIER=1).
 * Without that wait it may exit first, and systemd then cannot tell which service a message
 * from a vanished process belongs to and drops it. The timeout only bounds a wedged manager.
 */
export const runSystemdNotify: NotifySpawner = (args) =>
  new Promise((resolve, reject) => {
    execFile('systemd-notify', [...args], { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (err)
        reject(new Error(`systemd-notify ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });

export interface SdNotifyOptions {
  /** The environment systemd started us with (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID). */
  env: NodeJS.ProcessEnv;
  /** Our pid: sent as MAINPID, since the message comes from systemd-notify's own pid. */
  pid: number;
  logger: Logger;
  spawn?: NotifySpawner;
}

/**
 * The sd_notify protocol for a Type=notify service: READY=1, WATCHDOG=1, STOPPING=1. A failed
 * notification is logged and never thrown: it must not take the cabinet down with it.
 */
export class SdNotify {
  /** Half of WATCHDOG_USEC (systemd's advice), or undefined when no watchdog watches us. */
  readonly watchdogIntervalMs: number | undefined;
  private readonly spawn: NotifySpawner;

  private constructor(private readonly options: SdNotifyOptions) {
    this.spawn = options.spawn ?? runSystemdNotify;
    this.watchdogIntervalMs = watchdogInterval(options.env, options.pid);
  }

  /** Undefined when not started by systemd as Type=notify (NOTIFY_SOCKET unset): send nothing. */
  static fromEnvironment(options: SdNotifyOptions): SdNotify | undefined {
    return options.env.NOTIFY_SOCKET ? new SdNotify(options) : undefined;
  }

  ready(): Promise<void> {
    return this.send(['--ready', `--pid=${this.options.pid}`]);
  }

  watchdog(): Promise<void> {
    return this.send([`--pid=${this.options.pid}`, 'WATCHDOG=1']);
  }

  stopping(): Promise<void> {
    return this.send([`--pid=${this.options.pid}`, 'STOPPING=1']);
  }

  private async send(args: string[]): Promise<void> {
    try {
      await this.spawn(args);
    } catch (err) {
      this.options.logger.warn({ err, args }, 'could not notify systemd');
    }
  }
}

/**
 * systemd sets WATCHDOG_USEC, and WATCHDOG_PID to the process it watches; a WATCHDOG_PID that
 * is not ours was inherited from a parent and is not meant for us.
 */
function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== '' && Number(env.WATCHDOG_PID) !== pid)
    return undefined;
  return usec / 2 / 1000;
}
