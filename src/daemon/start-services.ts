import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { realPortFactory, type PortFactory } from '../../drivers/serial/serial-port-like.js';
import { isSimPath, SimPortRegistry } from '../../drivers/serial/sim-port.js';
import type { MqttLink } from '../mqtt/mqtt-link.js';
import { unflooredClock, type FlooredClock } from '../platform/floored-clock.js';
import { rememberLastGoodOutputs } from '../platform/last-good-outputs.js';
import type { EventLog } from '../store/event-log.js';
import { SqliteDirectory } from '../store/sqlite-directory.js';
import type { CabinetRunner } from './cabinet-runner.js';
import type { CabinetClaim } from './claim-cabinet.js';
import { ClockStepWatch } from './clock-step-watch.js';
import { CustodianRequests } from './custodian-requests.js';
import type { DaemonContext } from './daemon-context.js';
import { KeypadEntries } from './keypad-entries.js';
import { createReaders } from './readers.js';
import { readersConfig, simulatedOsdpLine, type SimulatedOsdpLine } from './simulated-osdp-line.js';
import type { ServiceManagerLink } from './service-manager.js';
import type { ServiceSet } from './service-set.js';
import { brokerLinkService } from './services/broker-link.js';
import { cabinetClaimService } from './services/cabinet-claim.js';
import { cabinetDatabaseService } from './services/cabinet-database.js';
import { cabinetTickService } from './services/cabinet-tick.js';
import { clockFloorService } from './services/clock-floor.js';
import { cabinetService, createCabinetRunner } from './services/cabinet.js';
import { cabinetScreenService, type CabinetScreen } from './services/cabinet-screen.js';
import { cabinetScreenServerService } from './services/cabinet-screen-server.js';
import { EventDelivery } from './services/event-delivery.js';
import { custodianSocketService } from './services/custodian-socket.js';
import { externalChangesService } from './services/external-changes.js';
import { pinInputsService } from './services/pin-inputs.js';
import { readerInputsService } from './services/reader-inputs.js';
import { readinessService } from './services/readiness.js';
import { remoteCommandsService } from './services/remote-commands.js';
import { simulatorService, type RunningSimulator } from './services/simulator.js';
import { startReconciliationService } from './services/start-reconciliation.js';
import { openDemoConsole } from './services/demo-console.js';
import { demoCardsFor } from './demo-data.js';
import { demoWebModules, webServerService, type RunningWebServer } from './services/web-server.js';

/** What a started daemon shows its callers (tests, the benchmark, the simulator's terminal). */
export interface RunningCabinet {
  runner: CabinetRunner;
  eventLog: EventLog;
  mqtt: MqttLink;
  simulator: RunningSimulator | undefined;
  /** The cabinet screen's feed, for the web server that shows it (src/web/). */
  screen: CabinetScreen;
  /** The demo's web server, when it runs. */
  web: RunningWebServer | undefined;
}

export interface DaemonSetup {
  /** Already claimed by `keywarden run`; otherwise claimed here, first. */
  claim: CabinetClaim | undefined;
  /** Injected GPIO (tests, benchmark); otherwise chosen by the profile. */
  gpio: GpioDriver | undefined;
  demo: boolean;
  tickMs: number;
  systemd: ServiceManagerLink;
  /** The outputs are held: the crash handler's fail-safe can reach them from now on. */
  claimed: (claim: CabinetClaim) => void;
  /** Why the daemon stops, for `cabinet.stopped`. */
  stopReason: () => string;
  /** The context's clock, whose floor the clock-floor service loads and saves. */
  clockFloor: FlooredClock;
}

/**
 * The daemon's services, in the order they start; they stop in the reverse order. Each service
 * is built from what the ones before it opened, so nothing exists before what it needs runs:
 *
 * 1. the cabinet claim: the lock, then every output off;
 * 1b. the clock floor: the latest wall time seen, before anything decides with the clock;
 * 2. the database and its event log;
 * 3. the broker link, 4. event delivery (acknowledgements, backlog, retained states, pruning);
 * 5. the cabinet (`cabinet.started`; on the way down its outputs off, then `cabinet.stopped`);
 * 6. the remote commands; 7. the simulator (simulated GPIO only); 8. the pin inputs;
 * 9. the start reconciliation; 9b. the cabinet screen's feed (an input, like the keypad);
 * 10. the readers;
 * 11. the cabinet tick; 12. the external changes (the custodian's command line);
 * 13. the custodian socket (the command line's way in while the daemon runs);
 * 13b. the cabinet screen's web server, when screen.port is set;
 * 14. in the demo, the web server (console, cabinet screen, simulator page), once everything it
 *     drives runs;
 * 15. readiness for the service manager, once the start reconciliation has run.
 */
export async function startServices(
  services: ServiceSet,
  context: DaemonContext,
  setup: DaemonSetup,
): Promise<RunningCabinet> {
  const { config, profile, clock, logger } = context;
  const daemonLogger = logger.child({ module: 'daemon' });

  const { gpio, claim: given, claimed } = setup;
  const claim = await services.start(
    cabinetClaimService({ config, profile, logger, gpio, claim: given, claimed }),
  );
  // What outputs-off drives off should this config or profile later be edited badly.
  rememberLastGoodOutputs(profile, config.database, daemonLogger);
  // Before anything decides with the wall clock: the floor saved by the last run.
  await services.start(
    clockFloorService({ clock: setup.clockFloor, database: config.database, logger: daemonLogger }),
  );
  const { db, eventLog } = await services.start(cabinetDatabaseService(context, setup.demo));
  const directory = new SqliteDirectory(db);
  const outputs = claim.hardware.outputs;
  const runner = createCabinetRunner(context, { db, eventLog, directory, outputs });
  const mqtt = await services.start(brokerLinkService(context, eventLog));
  const delivery = new EventDelivery(context, { db, eventLog, directory, runner, link: mqtt });
  const { recorded, recordedElsewhere } = delivery;
  await services.startInOrder([
    delivery,
    cabinetService(context, { runner, eventLog, recorded, stopReason: setup.stopReason }),
    remoteCommandsService(context, { db, eventLog, runner, link: mqtt, recorded }),
  ]);

  const ports = new SimPortRegistry();
  const readerConfig = readersConfig(config, profile, setup.demo);
  const osdpLine = simulatedOsdpLine(profile, readerConfig);
  const simulator =
    claim.gpio instanceof SimGpioDriver
      ? await services.start(
          simulatorService(context, {
            gpio: claim.gpio,
            ports,
            db,
            runner,
            osdpReader: osdpLine?.badgeReader,
          }),
        )
      : undefined;
  await services.start(pinInputsService(claim.hardware, runner, daemonLogger));
  const readers = createReaders(profile, readerConfig, portFactory(ports, osdpLine), logger);
  const reconciliation = await services.start(
    startReconciliationService({ fobReader: readers.fob, runner, logger: daemonLogger }),
  );
  const requests = new CustodianRequests({
    db,
    log: eventLog,
    runner,
    clock,
    logger: logger.child({ module: 'custodian-requests' }),
    recorded: recordedElsewhere,
  });
  const keypad = new KeypadEntries(db, runner, logger.child({ module: 'keypad' }));
  // The raw wall clock: a step back must be seen, although decisions stay at the floor.
  const wall = unflooredClock(clock);
  const clockWatch = new ClockStepWatch(wall, config.clock.stepThresholdMs, (step) => {
    daemonLogger.warn(step, 'the wall clock stepped; timers are unaffected');
    runner.handle({ kind: 'clock_stepped', ...step });
  });
  const screen = await services.start(
    cabinetScreenService({
      runner,
      db,
      directory,
      keypad,
      timeZone: config.cabinet.timeZone,
      logger: logger.child({ module: 'screen' }),
    }),
  );
  await services.startInOrder([
    readerInputsService({
      readers,
      runner,
      requests,
      keypad,
      sim: simulator?.cabinet,
      logger: daemonLogger,
    }),
    cabinetTickService({ runner, clockWatch, watchdog: setup.systemd, tickMs: setup.tickMs }),
    externalChangesService({ db, requests, recordedElsewhere, logger: daemonLogger }),
    custodianSocketService(context, { db, eventLog, clock, requests, recordedElsewhere }),
  ]);
  await services.start(
    cabinetScreenServerService({
      config,
      feed: screen,
      logger: logger.child({ module: 'screen' }),
    }),
  );
  let web: RunningWebServer | undefined;
  if (setup.demo && simulator) {
    const cards = demoCardsFor(profile);
    const demoPages = demoWebModules({ sim: simulator.cabinet, cards, db, runner, screen });
    const socketDeps = { db, eventLog, clock, requests, recordedElsewhere };
    const demoConsole = await openDemoConsole(context, socketDeps, context.profile.slotCount);
    web = await services.start(
      webServerService(context, {
        modules: async (host) => [...(demoConsole?.modules ?? []), ...(await demoPages(host))],
        ...(demoConsole && {
          authenticate: demoConsole.authenticate,
          login: demoConsole.login,
          close: () => demoConsole.close(),
        }),
      }),
    );
  }
  // Ready only once the slots have been reconciled with the loans: what a command or a badge
  // sees from then on starts from a checked inventory.
  await reconciliation.finished;
  await services.start(readinessService({ systemd: setup.systemd, config, logger: daemonLogger }));
  return { runner, eventLog, mqtt, simulator, screen, web };
}

/**
 * Reader paths starting `sim:` are the simulator's in-process ports (the simulated OSDP line's
 * for its path); the rest are devices.
 */
function portFactory(
  simPorts: SimPortRegistry,
  osdpLine: SimulatedOsdpLine | undefined,
): PortFactory {
  return (options) => {
    if (osdpLine !== undefined && options.path === osdpLine.path) return osdpLine.ports(options);
    return isSimPath(options.path) ? simPorts.factory(options) : realPortFactory(options);
  };
}
