import type { GpioDriver } from '../../drivers/gpio/gpio.js';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { realPortFactory, type PortFactory } from '../../drivers/serial/serial-port-like.js';
import { isSimPath, SimPortRegistry } from '../../drivers/serial/sim-port.js';
import { CommandIntake } from '../remote-commands/command-intake.js';
import { loadLockdown } from '../store/lockdown-state.js';
import { keysAtHome } from '../store/cabinet-contents.js';
import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import { initialCabinetState } from '../domain/cabinet-state.js';
import type { RecordingClock } from '../domain/clock.js';
import type { RecordedEvent } from '../domain/events.js';
import { createSystemClock } from '../platform/system-clock.js';
import type { Logger } from '../log/logger.js';
import { MqttLink } from '../mqtt/mqtt-link.js';
import { packageVersion } from '../paths.js';
import type { SimCabinet } from '../sim/sim-cabinet.js';
import type { SimHttpServer } from '../sim/sim-http.js';
import { CustodianStore } from '../store/custodian-store.js';
import { ensureSlots } from '../store/slots.js';
import { openDatabase, type Database } from '../store/database.js';
import { EventLog } from '../store/event-log.js';
import { loadExpiriesMark } from '../store/policy-marks.js';
import { SqliteDirectory } from '../store/sqlite-directory.js';
import { CabinetRunner } from './cabinet-runner.js';
import { claimCabinet, sinceProcessStart, type CabinetClaim } from './claim-cabinet.js';
import { CustodianRequests } from './custodian-requests.js';
import { seedDemo } from './demo-data.js';
import { DeliverySupervisor } from './delivery-supervisor.js';
import { ClockStepWatch } from './clock-step-watch.js';
import { watchContactInputs } from './contact-inputs.js';
import type { CabinetHardware } from './hardware.js';
import { buildInventory } from './inventory.js';
import { KeypadEntries } from './keypad-entries.js';
import { lockoutSettingsOf, policySettingsOf } from './policy-settings.js';
import { createReaders, type CabinetReaders } from './readers.js';
import { ServiceManagerLink } from './service-manager.js';
import { scheduleStartReconciliation, type StartReconciliation } from './start-reconciliation.js';

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

/** How often another process's writes (the custodian CLI) are looked for. */
const EXTERNAL_POLL_MS = 250;

/**
 * The composition root: wires drivers, store, domain and MQTT, in an order that keeps the
 * cabinet safe. The cabinet's lock is taken and the outputs are claimed (driven off) before
 * anything else (claim-cabinet.ts); the database opens next; inputs and readers last, once
 * every decision they cause can be recorded.
 */
export class Daemon {
  readonly clock: RecordingClock;
  sim: SimCabinet | undefined;
  simAddress: { host: string; port: number } | undefined;
  runner!: CabinetRunner;
  eventLog!: EventLog;
  mqtt!: MqttLink;
  delivery!: DeliverySupervisor;
  commands!: CommandIntake;
  private directory!: SqliteDirectory;
  private claim: CabinetClaim | undefined;
  private gpio!: GpioDriver;
  private hardware!: CabinetHardware;
  private db!: Database;
  private readers!: CabinetReaders;
  private requests!: CustodianRequests;
  private simHttp: SimHttpServer | undefined;
  private readonly intervals: NodeJS.Timeout[] = [];
  private readonly logger: Logger;
  private stopping: Promise<void> | undefined;
  private readonly systemd: ServiceManagerLink;
  private startReconciliation: StartReconciliation | undefined;

  constructor(private readonly options: DaemonOptions) {
    this.clock = options.clock ?? createSystemClock({ syncCheck: options.config.clock.syncCheck });
    this.logger = options.logger.child({ module: 'daemon' });
    this.systemd = new ServiceManagerLink({ logger: options.logger });
  }

  async start(): Promise<void> {
    const { config, profile, logger } = this.options;
    const simPorts = new SimPortRegistry();
    const claim =
      this.options.claim ??
      (await claimCabinet({ config, profile, logger, gpio: this.options.gpio }));
    this.claim = claim;
    this.gpio = claim.gpio;
    this.hardware = claim.hardware;

    this.db = openDatabase(config.database);
    this.logger.info(
      { database: config.database, sinceStartMs: sinceProcessStart() },
      'database open',
    );
    ensureSlots(this.db, profile.slotCount);
    this.eventLog = new EventLog(this.db, config.cabinetId, this.clock);
    if (this.options.demo) {
      const store = new CustodianStore(this.db, this.eventLog, {
        kind: 'custodian',
        account: 'demo',
      });
      if (seedDemo(this.db, store)) this.logger.info('demo holders and keys seeded');
    }

    this.runner = new CabinetRunner(
      // A lockdown outlives a restart; an emergency release does not (fail secure).
      initialCabinetState(
        profile.slotCount,
        loadLockdown(this.db),
        loadExpiriesMark(this.db, this.clock.wallMs()),
      ),
      {
        settings: {
          slotCount: profile.slotCount,
          sessionMs: this.sessionMs(),
          wrongSlotPulseMs: config.cabinet.wrongSlotPulseSeconds * 1000,
          // Every profile slot wires one (the schema requires it): no fob report alone is an arrival.
          keyPresentSlots: profile.slots.map((slot) => slot.number),
          policy: policySettingsOf(config),
          lockout: lockoutSettingsOf(config),
          door: {
            forcedDebounceMs: config.cabinet.doorForcedDebounceMs,
            heldOpenMs: config.cabinet.doorHeldOpenSeconds * 1000,
            preAlarmMs: config.cabinet.doorPreAlarmSeconds * 1000,
          },
        },
        directory: (this.directory = new SqliteDirectory(this.db)),
        clock: this.clock,
        timeZone: config.cabinet.timeZone,
      },
      this.eventLog,
      this.hardware.outputs,
      logger.child({ module: 'cabinet' }),
    );

    const version = packageVersion();
    this.mqtt = new MqttLink(config, this.eventLog, logger.child({ module: 'mqtt' }), {
      version,
      startedAt: new Date(this.clock.wallMs()).toISOString(),
    });
    this.delivery = new DeliverySupervisor(
      this.eventLog,
      config.delivery,
      this.clock,
      logger.child({ module: 'delivery' }),
      () => this.mqtt.retained.refresh(),
    );
    this.wireMqtt();
    this.wireCommands(version);
    this.runner.handle({ kind: 'tick' });
    this.eventLog.append([{ type: 'cabinet.started', data: { version, profile: profile.model } }]);
    this.delivery.checkBacklog();
    this.mqtt.publisher.notify();

    if (this.gpio instanceof SimGpioDriver) await this.startSimulator(this.gpio, simPorts);
    this.watchInputs();
    this.readers = createReaders(profile, config, this.portFactory(simPorts), logger);
    this.requests = new CustodianRequests({
      db: this.db,
      log: this.eventLog,
      runner: this.runner,
      clock: this.clock,
      logger: logger.child({ module: 'custodian-requests' }),
      recorded: () => this.publishNewEvents(),
    });
    // A card tapped for enrolment (`keywarden credential enrol`) is not decided.
    this.readers.badge.on('badge', ({ card }) => {
      if (!this.requests.takeBadge(card)) this.runner.handle({ kind: 'badge', card });
    });
    this.readers.fob.on('fob', ({ slot, tag }) => this.runner.handle({ kind: 'fob', slot, tag }));
    const keypad = new KeypadEntries(this.db, this.runner, logger.child({ module: 'keypad' }));
    this.readers.badge.on('keypad', (entry) => void keypad.enter(entry));
    this.sim?.on('keypad', (entry) => void keypad.enter(entry));
    this.watchReaderStatus();
    // Like a real fob reader, the simulated one reports every occupied slot when it connects.
    const sim = this.sim;
    if (sim) this.readers.fob.on('online', () => sim.announceFobs());
    this.startReconciliation = scheduleStartReconciliation({
      fobReader: this.readers.fob,
      run: () => this.reconcile('start'),
    });
    this.readers.start();
    this.logger.info({ sinceStartMs: sinceProcessStart() }, 'readers started');

    const clockWatch = new ClockStepWatch(this.clock, config.clock.stepThresholdMs, (step) => {
      this.logger.warn(step, 'the wall clock stepped; timers are unaffected');
      this.runner.handle({ kind: 'clock_stepped', ...step });
    });
    this.intervals.push(
      setInterval(() => {
        clockWatch.check();
        this.runner.handle({ kind: 'tick' });
        this.systemd.tick(); // the watchdog pings only while this loop runs
      }, this.options.tickMs ?? 100),
    );
    this.every(EXTERNAL_POLL_MS, 'external writes', () => this.pollExternalWrites());
    this.every(config.delivery.pruneIntervalMinutes * 60_000, 'prune', () => this.delivery.prune());
    // Ready only once the slots have been reconciled with the loans: what a command or a badge
    // sees from then on starts from a checked inventory.
    await this.startReconciliation.finished;
    this.logger.info(
      { cabinetId: config.cabinetId, database: config.database, sinceStartMs: sinceProcessStart() },
      'cabinet ready',
    );
    this.systemd.ready();
  }

  /** Ordered shutdown: each step runs even if an earlier one failed, and failures are logged. */
  stop(reason = 'stopped'): Promise<void> {
    this.stopping ??= this.doStop(reason);
    return this.stopping;
  }

  /**
   * Compares the slots with the open loans (src/domain/reconciliation.ts): at start once the
   * readers have reported, and on the `reconcile` command. Returns what it recorded.
   */
  reconcile(why: 'start' | 'request'): RecordedEvent[] {
    const recorded = this.runner.handle({ kind: 'reconcile' });
    this.logger.info({ why, differences: recorded.length }, 'slots reconciled with the loans');
    return recorded;
  }

  /** Synchronous last resort for crash handlers: every output off. */
  failSafe(): void {
    this.hardware?.allOff();
  }

  private async doStop(reason: string): Promise<void> {
    const steps: Array<[string, () => unknown]> = [
      // Not awaited: a slow service manager must not delay the outputs going off.
      ['systemd', () => void this.systemd.stopping()],
      [
        'timers',
        () => {
          this.intervals.forEach((t) => clearInterval(t));
          this.startReconciliation?.cancel();
        },
      ],
      ['commands', () => this.commands?.stop()],
      ['readers', () => this.readers?.stop()],
      ['outputs', () => this.runner?.shutdown()],
      ['record stop', () => this.eventLog?.append([{ type: 'cabinet.stopped', data: { reason } }])],
      ['mqtt', () => this.mqtt?.stop()],
      ['simulator', () => this.simHttp?.close()],
      ['database', () => this.db?.close()],
      ['gpio', () => this.gpio?.close()],
      // Last: until here another daemon must not take the cabinet over.
      ['lock', () => this.claim?.lock.release()],
    ];
    for (const [name, run] of steps) {
      try {
        await run();
      } catch (err) {
        this.logger.error({ err, step: name }, 'shutdown step failed');
      }
    }
    this.logger.info({ reason }, 'stopped');
  }

  /** Retained states, acknowledgements, and the outbox following every record. */
  private wireMqtt(): void {
    const { config } = this.options;
    const { retained, topics } = this.mqtt;
    retained.track(topics.inventory, () =>
      JSON.stringify(
        buildInventory(config.cabinetId, this.runner.current, this.directory, this.db),
      ),
    );
    retained.track(topics.alarms, () =>
      JSON.stringify({
        cabinetId: config.cabinetId,
        alarms: [
          ...this.runner.current.alarms,
          ...this.delivery.alarms(),
          ...this.runner.storage.alarms(),
        ],
      }),
    );
    this.mqtt.subscribe(topics.ack, (topic, payload) => this.delivery.onAck(topic, payload));
    this.runner.on('recorded', () => {
      this.delivery.checkBacklog();
      this.mqtt.publisher.notify();
    });
    this.runner.on('state', () => retained.refresh());
  }

  /** The central server's signed commands (src/remote-commands/), replied to over the same link. */
  private wireCommands(version: string): void {
    const { config, profile, logger } = this.options;
    const { topics } = this.mqtt;
    this.commands = new CommandIntake({
      config,
      client: this.mqtt.client,
      replyTopic: topics.reply,
      logger: logger.child({ module: 'commands' }),
      services: {
        db: this.db,
        log: this.eventLog,
        runner: this.runner,
        clock: this.clock,
        version,
        slotCount: profile.slotCount,
        outbox: this.mqtt.publisher,
        retained: this.mqtt.retained,
        inventoryTopic: topics.inventory,
      },
      recorded: () => {
        this.delivery.checkBacklog();
        this.mqtt.publisher.notify();
      },
    });
    this.mqtt.subscribe(topics.commandWildcard, this.commands.onMessage);
  }

  /**
   * A session may not outlast the solenoids' maximum on-time: the driver would cut the coil
   * while the domain still believed the slot released, and a pull then would be recorded as a
   * check-out instead of being forced.
   */
  private sessionMs(): number {
    const { config, profile } = this.options;
    const wanted = config.cabinet.sessionSeconds * 1000;
    if (wanted <= profile.solenoids.maxOnMs) return wanted;
    this.logger.warn(
      { sessionSeconds: config.cabinet.sessionSeconds, maxOnMs: profile.solenoids.maxOnMs },
      "cabinet.sessionSeconds is longer than the profile's solenoid maximum on-time; using the latter",
    );
    return profile.solenoids.maxOnMs;
  }

  private portFactory(simPorts: SimPortRegistry): PortFactory {
    return (options) =>
      isSimPath(options.path) ? simPorts.factory(options) : realPortFactory(options);
  }

  private async startSimulator(gpio: SimGpioDriver, ports: SimPortRegistry): Promise<void> {
    const { config, profile, logger } = this.options;
    // Loaded only for simulated GPIO: a cabinet on real hardware never needs the simulator or
    // its HTTP server, and does not carry their code in memory.
    const [{ SimCabinet }, { SimHttpServer }, { readSimState, writeSimState }] = await Promise.all([
      import('../sim/sim-cabinet.js'),
      import('../sim/sim-http.js'),
      import('../sim/sim-state-file.js'),
    ]);
    this.sim = new SimCabinet(profile, gpio, ports, {
      badge: config.readers.badgePath,
      fob: config.readers.fobPath,
    });
    const { stateFile } = config.sim;
    // A state file is the simulated cabinet's memory of where the keys physically are; without
    // one it hangs every key the loans say is in.
    const remembered = stateFile ? readSimState(stateFile, profile.slotCount) : undefined;
    this.sim.preload(remembered ?? keysAtHome(this.db));
    if (stateFile) {
      const sim = this.sim;
      const save = () => writeSimState(stateFile, sim.snapshot().slots);
      save();
      sim.on('changed', save);
    }
    const http = new SimHttpServer(this.sim, logger.child({ module: 'sim' }));
    try {
      const address = await http.listen(config.sim.host, config.sim.port);
      this.simAddress = { host: address.address, port: address.port };
      this.simHttp = http;
      this.runner.on('recorded', (events) => http.recorded(events));
    } catch (err) {
      // The control interface is an accessory of the simulator, not of the cabinet: without it
      // the terminal still drives the simulated cabinet.
      this.logger.warn(
        { err, host: config.sim.host, port: config.sim.port },
        'simulator control interface not started',
      );
    }
  }

  private watchInputs(): void {
    const { keyPresent, doorSensor } = this.hardware;
    keyPresent.forEach((pin, i) => {
      const slot = i + 1;
      pin.onChange((present) => this.runner.handle({ kind: 'presence', slot, present }));
      if (pin.read()) this.runner.handle({ kind: 'presence', slot, present: true });
    });
    doorSensor.onChange((open) => this.runner.handle({ kind: 'door', open }));
    if (doorSensor.read()) this.runner.handle({ kind: 'door', open: true });
    watchContactInputs(this.hardware.contacts, (input) => this.runner.handle(input));
  }

  /**
   * A periodic job whose failure (the database refusing writes: the storage alarm) is logged,
   * not thrown: an exception from a timer would take the daemon down.
   */
  private every(ms: number, name: string, job: () => unknown): void {
    this.intervals.push(
      setInterval(() => {
        try {
          job();
        } catch (err) {
          this.logger.warn({ err, job: name }, 'periodic job failed');
        }
      }, ms),
    );
  }

  /** A reader going away or coming back: an event, and while away the `reader.offline` alarm. */
  private watchReaderStatus(): void {
    const { badge, fob } = this.readers;
    badge.on('offline', ({ reason }) =>
      this.runner.handle({ kind: 'reader', reader: 'badge', online: false, reason }),
    );
    badge.on('online', () => this.runner.handle({ kind: 'reader', reader: 'badge', online: true }));
    fob.on('offline', ({ reason }) =>
      this.runner.handle({ kind: 'reader', reader: 'fob', online: false, reason }),
    );
    fob.on('online', () => this.runner.handle({ kind: 'reader', reader: 'fob', online: true }));
  }

  private lastDataVersion = -1;

  private pollExternalWrites(): void {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version === this.lastDataVersion) return;
    this.lastDataVersion = version;
    // A custodian's request is a write by another process: looked for only when one came.
    this.requests.tick();
    this.publishNewEvents();
  }

  /** Events recorded outside the runner (the CLI, custodian requests) go out like any other. */
  private publishNewEvents(): void {
    this.delivery.checkBacklog();
    this.mqtt.publisher.notify();
    this.mqtt.retained.refresh();
  }
}
