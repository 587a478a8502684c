import { isMainThread } from 'node:worker_threads';
import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import type { RecordingClock } from '../domain/clock.js';
import type { Logger } from '../log/logger.js';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import { packageVersion } from '../paths.js';
import { yieldBackgroundThreads } from '../platform/background-threads.js';
import { FlooredClock } from '../platform/floored-clock.js';
import { createSystemClock } from '../platform/system-clock.js';
import type { SimCabinet } from '../sim/sim-cabinet.js';
import type { EventLog } from '../store/event-log.js';
import type { CabinetRunner } from './cabinet-runner.js';
import type { CabinetClaim } from './claim-cabinet.js';
import { demoCardsFor, type DemoCards } from './demo-data.js';
import type { CabinetHardware } from './hardware.js';
import { ServiceManagerLink } from './service-manager.js';
import { ServiceSet } from './service-set.js';
import type { CabinetScreen } from './services/cabinet-screen.js';
import { startServices, type RunningCabinet } from './start-services.js';

export interface DaemonOptions {
  config: KeywardenConfig;
  profile: HardwareProfile;
  logger: Logger;
  clock?: RecordingClock;
  /** Seed demo holders and keys into an empty database (npm start). */
  demo?: boolean;
  /** Injected GPIO (tests, benchmark); otherwise chosen by the profile. */
  gpio?: GpioDriver;
  /**
   * The lock and the outputs, already claimed (`keywarden run` claims them before loading the
   * rest of the daemon); otherwise claimed first thing in start(). Released by stop().
   */
  claim?: CabinetClaim;
  /** How often timers are checked (relock, wrong-slot pulses). */
  tickMs?: number;
}

/**
 * The composition root: the daemon's services (start-services.ts), started in an order that
 * keeps the cabinet safe and stopped in the reverse order (service-set.ts). The cabinet's lock
 * is taken and the outputs are claimed (driven off) before anything else; the database opens
 * next; inputs and readers come last, once every decision they cause can be recorded. On the
 * way down the inputs stop first, the outputs go off, and the lock is released last.
 */
export class Daemon {
  readonly clock: FlooredClock;
  /** The demo holders' cards, which the simulator's terminal names (`badge alice`). */
  readonly demoCards: DemoCards;
  private readonly logger: Logger;
  private readonly systemd: ServiceManagerLink;
  private readonly services: ServiceSet;
  private running: RunningCabinet | undefined;
  private hardware: CabinetHardware | undefined;
  /** Recorded in `cabinet.stopped`; a start that fails stops the daemon with this reason. */
  private stopReason = 'failed to start';
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: DaemonOptions) {
    // Every decision sees the wall clock through its floor: never earlier than already seen.
    this.clock = new FlooredClock(
      options.clock ?? createSystemClock({ syncCheck: options.config.clock.syncCheck }),
    );
    this.logger = options.logger.child({ module: 'daemon' });
    this.demoCards = demoCardsFor(options.profile);
    this.systemd = new ServiceManagerLink({ logger: options.logger });
    this.services = new ServiceSet(this.logger);
  }

  get runner(): CabinetRunner {
    return this.started().runner;
  }

  get eventLog(): EventLog {
    return this.started().eventLog;
  }

  get mqtt(): MqttLink {
    return this.started().mqtt;
  }

  /** The cabinet screen's feed (view, changes, inputs), for the web server that shows it. */
  get screen(): CabinetScreen {
    return this.started().screen;
  }

  /** The simulated cabinet, when the GPIO is simulated. */
  get sim(): SimCabinet | undefined {
    return this.running?.simulator?.cabinet;
  }

  /** Where the simulator's control interface listens, if it could. */
  get simAddress(): { host: string; port: number } | undefined {
    return this.running?.simulator?.address;
  }

  /** The demo's web server (the simulator page), if it runs. */
  get webUrl(): string | undefined {
    return this.running?.web?.url;
  }

  /** The demo console's sign-in (new at every start), if the demo's web server runs. */
  get webLogin(): { account: string; password: string } | undefined {
    return this.running?.web?.login;
  }

  /** Starts every service in order; if one fails, those started are stopped and it throws. */
  async start(): Promise<void> {
    const { config, profile, logger } = this.options;
    const context = { config, profile, logger, clock: this.clock, version: packageVersion() };
    await this.yieldHelperThreads();
    try {
      this.running = await startServices(this.services, context, {
        claim: this.options.claim,
        gpio: this.options.gpio,
        demo: this.options.demo === true,
        tickMs: this.options.tickMs ?? 100,
        systemd: this.systemd,
        claimed: (claim) => (this.hardware = claim.hardware),
        stopReason: () => this.stopReason,
        clockFloor: this.clock,
      });
    } catch (err) {
      // A failure between two starts (a reader setting the driver refuses) stops them too.
      await this.services.stop();
      throw err;
    }
  }

  /**
   * The badge's path runs on the main thread; when the unit raised the daemon's priority, V8's
   * compiler and collector helpers go back to an ordinary one (src/platform/background-threads.ts
   * says why). Only from the process's main thread: in a worker thread (a test runner's) the
   * process's other threads are not ours to change.
   */
  private async yieldHelperThreads(): Promise<void> {
    if (!isMainThread) return;
    const { mainNice, yielded, refused } = await yieldBackgroundThreads();
    if (refused.length > 0)
      this.options.logger.warn(
        { mainNice, yielded, refused: refused.length, reason: refused[0]?.reason },
        "could not return the helper threads to nice 0; they keep the main thread's priority",
      );
    else if (yielded > 0)
      this.options.logger.debug({ mainNice, yielded }, 'helper threads returned to nice 0');
  }

  /** Ordered shutdown: each service stops even if an earlier one failed, and failures are logged. */
  stop(reason = 'stopped'): Promise<void> {
    this.stopping ??= (async () => {
      this.stopReason = reason;
      await this.services.stop();
      this.logger.info({ reason }, 'stopped');
    })();
    return this.stopping;
  }

  /** Synchronous last resort for crash handlers: every output off. */
  failSafe(): void {
    this.hardware?.allOff();
  }

  private started(): RunningCabinet {
    if (!this.running) throw new Error('the daemon has not started');
    return this.running;
  }
}
