import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { realPortFactory, type PortFactory } from '../../drivers/serial/serial-port-like.js';
import { isSimPath, SimPortRegistry } from '../../drivers/serial/sim-port.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import type { RecordingClock } from '../domain/clock.js';
import type { Logger } from '../log/logger.js';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import { packageVersion } from '../paths.js';
import { createSystemClock } from '../platform/system-clock.js';
import type { SimCabinet } from '../sim/sim-cabinet.js';
import type { EventLog } from '../store/event-log.js';
import { SqliteDirectory } from '../store/sqlite-directory.js';
import type { CabinetRunner } from './cabinet-runner.js';
import type { CabinetClaim } from './claim-cabinet.js';
import { ClockStepWatch } from './clock-step-watch.js';
import { CustodianRequests } from './custodian-requests.js';
import { DEMO_CARDS } from './demo-data.js';
import type { CabinetHardware } from './hardware.js';
import { KeypadEntries } from './keypad-entries.js';
import { createReaders } from './readers.js';
import { ServiceManagerLink } from './service-manager.js';
import { ServiceSet } from './service-set.js';
import { brokerLinkService } from './services/broker-link.js';
import { cabinetClaimService } from './services/cabinet-claim.js';
import { cabinetDatabaseService } from './services/cabinet-database.js';
import { cabinetTickService } from './services/cabinet-tick.js';
import { cabinetService, createCabinetRunner } from './services/cabinet.js';
import { EventDelivery } from './services/event-delivery.js';
import { externalChangesService } from './services/external-changes.js';
import { pinInputsService } from './services/pin-inputs.js';
import { readerInputsService } from './services/reader-inputs.js';
import { readinessService } from './services/readiness.js';
import { remoteCommandsService } from './services/remote-commands.js';
import { simulatorService, type RunningSimulator } from './services/simulator.js';
import { startReconciliationService } from './services/start-reconciliation.js';

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

/** What a started daemon shows its callers (tests, the benchmark, the simulator's terminal). */
interface RunningCabinet {
  runner: CabinetRunner;
  eventLog: EventLog;
  mqtt: MqttLink;
  simulator: RunningSimulator | undefined;
}

/**
 * The composition root: the daemon's services, started in an order that keeps the cabinet safe
 * and stopped in the reverse order (service-set.ts). The cabinet's lock is taken and the
 * outputs are claimed (driven off) before anything else (claim-cabinet.ts); the database opens
 * next; inputs and readers come last, once every decision they cause can be recorded. On the
 * way down the inputs stop first and the outputs go off before anything else is closed.
 */
export class Daemon {
  readonly clock: RecordingClock;
  /** The demo holders' cards, which the simulator's terminal names (`badge alice`). */
  readonly demoCards = DEMO_CARDS;
  private readonly logger: Logger;
  private readonly systemd: ServiceManagerLink;
  private readonly services: ServiceSet;
  private running: RunningCabinet | undefined;
  private hardware: CabinetHardware | undefined;
  /** Recorded in `cabinet.stopped`; a start that fails stops the daemon with this reason. */
  private stopReason = 'failed to start';
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: DaemonOptions) {
    this.clock = options.clock ?? createSystemClock({ syncCheck: options.config.clock.syncCheck });
    this.logger = options.logger.child({ module: 'daemon' });
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

  /** The simulated cabinet, when the GPIO is simulated. */
  get sim(): SimCabinet | undefined {
    return this.running?.simulator?.cabinet;
  }

  /** Where the simulator's control interface listens, if it could. */
  get simAddress(): { host: string; port: number } | undefined {
    return this.running?.simulator?.address;
  }

  /** Starts every service in order; if one fails, those started are stopped and it throws. */
  async start(): Promise<void> {
    try {
      await this.startServices();
    } catch (err) {
      // A failure between two starts (a reader setting the driver refuses) stops them too.
      await this.services.stop();
      throw err;
    }
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

  private async startServices(): Promise<void> {
    const { config, profile, logger } = this.options;
    const { clock, services } = this;
    const version = packageVersion();

    const claim = await services.start(
      cabinetClaimService({
        config,
        profile,
        logger,
        gpio: this.options.gpio,
        claim: this.options.claim,
        claimed: (held) => (this.hardware = held.hardware),
      }),
    );
    const { db, eventLog } = await services.start(
      cabinetDatabaseService({
        config,
        slotCount: profile.slotCount,
        clock,
        logger: this.logger,
        demo: this.options.demo === true,
      }),
    );
    const directory = new SqliteDirectory(db);
    const runner = createCabinetRunner({
      config,
      profile,
      db,
      eventLog,
      directory,
      outputs: claim.hardware.outputs,
      clock,
      logger,
    });
    const mqtt = await services.start(
      brokerLinkService({ config, eventLog, clock, version, logger }),
    );
    const delivery = new EventDelivery({
      config,
      db,
      eventLog,
      directory,
      runner,
      link: mqtt,
      clock,
      logger,
    });
    await services.startInOrder([
      delivery,
      cabinetService({
        runner,
        eventLog,
        recorded: delivery.recorded,
        version,
        profileModel: profile.model,
        stopReason: () => this.stopReason,
      }),
      remoteCommandsService({
        config,
        slotCount: profile.slotCount,
        db,
        eventLog,
        runner,
        link: mqtt,
        clock,
        version,
        recorded: delivery.recorded,
        logger,
      }),
    ]);

    const simPorts = new SimPortRegistry();
    const simulator =
      claim.gpio instanceof SimGpioDriver
        ? await services.start(
            simulatorService({
              config,
              profile,
              gpio: claim.gpio,
              ports: simPorts,
              db,
              runner,
              logger,
            }),
          )
        : undefined;
    this.running = { runner, eventLog, mqtt, simulator };

    const readers = createReaders(profile, config, portFactory(simPorts), logger);
    const requests = new CustodianRequests({
      db,
      log: eventLog,
      runner,
      clock,
      logger: logger.child({ module: 'custodian-requests' }),
      recorded: delivery.recordedElsewhere,
    });
    await services.start(pinInputsService(claim.hardware, runner));
    const reconciliation = await services.start(
      startReconciliationService({ fobReader: readers.fob, runner, logger: this.logger }),
    );
    await services.startInOrder([
      readerInputsService({
        readers,
        runner,
        requests,
        keypad: new KeypadEntries(db, runner, logger.child({ module: 'keypad' })),
        sim: simulator?.cabinet,
        logger: this.logger,
      }),
      cabinetTickService({
        runner,
        clockWatch: new ClockStepWatch(clock, config.clock.stepThresholdMs, (step) => {
          this.logger.warn(step, 'the wall clock stepped; timers are unaffected');
          runner.handle({ kind: 'clock_stepped', ...step });
        }),
        watchdog: this.systemd,
        tickMs: this.options.tickMs ?? 100,
      }),
      externalChangesService({
        db,
        requests,
        recordedElsewhere: delivery.recordedElsewhere,
        logger: this.logger,
      }),
    ]);
    // Ready only once the slots have been reconciled with the loans: what a command or a badge
    // sees from then on starts from a checked inventory.
    await reconciliation.finished;
    await services.start(readinessService({ systemd: this.systemd, config, logger: this.logger }));
  }
}

/** Reader paths starting `sim:` are the simulator's in-process ports; the rest are devices. */
function portFactory(simPorts: SimPortRegistry): PortFactory {
  return (options) =>
    isSimPath(options.path) ? simPorts.factory(options) : realPortFactory(options);
}
