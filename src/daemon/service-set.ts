import type { Logger } from '../log/logger.js';
import type { Service } from './service.js';

/**
 * Longest one service's stop may take before the next one is stopped anyway. Above the broker
 * link's own bounds (2 s to drain, 2 s to disconnect) and well inside systemd's
 * TimeoutStopSec, so that a hung stop cannot keep the outputs from going off.
 */
export const STOP_TIMEOUT_MS = 5_000;

/** A service was asked to start after the daemon had begun stopping. */
export class StoppedWhileStarting extends Error {
  constructor(service: string) {
    super(`the daemon was stopped while starting (${service} not started)`);
    this.name = 'StoppedWhileStarting';
  }
}

/**
 * The services of a daemon, started in order and stopped in reverse, as zigbee2mqtt's controller
 * starts and stops its extensions. A start that fails stops the ones already started, newest
 * first, and the error goes on to the caller; a stop that fails or hangs is logged and the
 * others still stop: the last ones (the outputs, the cabinet's lock) matter most.
 */
export class ServiceSet {
  private readonly started: Array<Service<unknown>> = [];
  private inFlight: Promise<unknown> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly stopTimeoutMs = STOP_TIMEOUT_MS,
  ) {}

  /** Starts one service after those already started; resolves to what its start handed back. */
  async start<Handle>(service: Service<Handle>): Promise<Handle> {
    if (this.stopping) throw new StoppedWhileStarting(service.name);
    const starting = Promise.resolve().then(() => service.start());
    this.inFlight = starting;
    let handle: Handle;
    try {
      handle = await starting;
    } catch (err) {
      this.inFlight = undefined;
      this.logger.error({ err, service: service.name }, 'service failed to start');
      await this.stop();
      throw err;
    }
    this.inFlight = undefined;
    this.started.push(service);
    // A stop that came meanwhile waited for this start, and stops this service with the others.
    if (this.stopping) throw new StoppedWhileStarting(`the services after ${service.name}`);
    return handle;
  }

  /** Starts each in turn, as `start` does. */
  async startInOrder(services: ReadonlyArray<Service<unknown>>): Promise<void> {
    for (const service of services) await this.start(service);
  }

  /**
   * Stops every started service, newest first; once, however often it is called. A start in
   * flight is waited for, so that what it opens is stopped too: the daemon's starts are local
   * and short (the GPIO module, the database, a loopback listen), none waits on the network.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    for (let service = this.started.pop(); service; service = this.started.pop()) {
      await this.stopOne(service);
    }
  }

  private async stopOne(service: Service<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), this.stopTimeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => service.stop()), timedOut]);
      if (outcome === 'timed out')
        this.logger.error(
          { service: service.name, timeoutMs: this.stopTimeoutMs },
          'service did not stop in time; stopping the next',
        );
    } catch (err) {
      this.logger.error({ err, service: service.name }, 'service failed to stop');
    } finally {
      clearTimeout(timer);
    }
  }
}
