import type { ActiveAlarm } from '../../domain/cabinet-state.js';
import { homeAssistantStateTopics } from '../../mqtt/home-assistant-discovery.js';
import { HomeAssistantDiscovery } from '../../mqtt/home-assistant.js';
import type { MqttLink } from '../../mqtt/mqtt-link.js';
import type { Database } from '../../store/database.js';
import type { EventLog } from '../../store/event-log.js';
import { SqliteHomeAssistantTopics } from '../../store/home-assistant-topics.js';
import type { SqliteDirectory } from '../../store/sqlite-directory.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import type { DaemonContext } from '../daemon-context.js';
import { DeliverySupervisor } from '../delivery-supervisor.js';
import { buildInventory } from '../inventory.js';
import { every } from '../periodic-job.js';
import type { Service } from '../service.js';

export interface EventDeliveryDeps {
  db: Database;
  eventLog: EventLog;
  directory: SqliteDirectory;
  runner: CabinetRunner;
  link: MqttLink;
}

/**
 * What the central server is sent and what it acknowledges: the outbox woken after every record
 * (by the cabinet, a remote command, the custodian's command line), the backlog alarm, the
 * retained inventory and alarms (and Home Assistant's view of them, when configured), the
 * acknowledgements, and the pruning of what the server holds (its timer is this service's).
 */
export class EventDelivery implements Service {
  readonly name = 'event delivery';
  private readonly supervisor: DeliverySupervisor;
  private readonly homeAssistant: HomeAssistantDiscovery;
  private stopPruning: (() => void) | undefined;

  constructor(
    private readonly context: DaemonContext,
    private readonly deps: EventDeliveryDeps,
  ) {
    const { config, profile, clock, version, logger } = context;
    const { db, eventLog, link, runner } = deps;
    this.supervisor = new DeliverySupervisor(
      eventLog,
      config.delivery,
      clock,
      logger.child({ module: 'delivery' }),
      () => this.refreshRetained(),
    );
    this.homeAssistant = new HomeAssistantDiscovery(
      link,
      config.mqtt.homeAssistant,
      homeAssistantStateTopics(config.mqtt.topicPrefix, config.cabinetId),
      { cabinetId: config.cabinetId, model: profile.model, version, slotCount: profile.slotCount },
      {
        snapshot: () => {
          const state = runner.current;
          return {
            doorOpen: state.door.open,
            // The flow drives the lock open for a session and for an emergency release, and
            // only then (src/domain/flow/step-draft.ts).
            unlocked: !!state.session || !!state.emergency,
            occupied: state.slots.map((slot) => slot.occupied),
          };
        },
        alarms: () => this.activeAlarms(),
      },
      new SqliteHomeAssistantTopics(db),
      logger.child({ module: 'home-assistant' }),
    );
  }

  start(): void {
    const { config, logger } = this.context;
    const { db, directory, runner, link } = this.deps;
    const { retained, topics } = link;
    retained.track(topics.inventory, () =>
      JSON.stringify(buildInventory(config.cabinetId, runner.current, directory, db)),
    );
    retained.track(topics.alarms, () =>
      JSON.stringify({ cabinetId: config.cabinetId, alarms: this.activeAlarms() }),
    );
    this.homeAssistant.start();
    link.subscribe(topics.ack, (topic, payload) => this.supervisor.onAck(topic, payload));
    runner.on('recorded', this.recorded);
    runner.on('state', this.refreshRetained);
    this.stopPruning = every(
      config.delivery.pruneIntervalMinutes * 60_000,
      'prune',
      () => this.supervisor.prune(),
      logger.child({ module: 'daemon' }),
    );
  }

  stop(): void {
    this.stopPruning?.();
    this.homeAssistant.stop();
    this.deps.runner.off('recorded', this.recorded);
    this.deps.runner.off('state', this.refreshRetained);
  }

  /** Events were recorded: the backlog alarm raised or cleared, the outbox woken. */
  readonly recorded = (): void => {
    this.supervisor.checkBacklog();
    this.deps.link.publisher.notify();
  };

  /**
   * Events recorded outside the cabinet runner (by the custodian's command line, or for its
   * requests) may change the retained states too.
   */
  readonly recordedElsewhere = (): void => {
    this.recorded();
    this.refreshRetained();
  };

  private readonly refreshRetained = (): void => {
    this.deps.link.retained.refresh();
    this.homeAssistant.refresh();
  };

  /** The alarms raised and not cleared: the cabinet's, the backlog's, the database's. */
  private activeAlarms(): ActiveAlarm[] {
    const { runner } = this.deps;
    return [...runner.current.alarms, ...this.supervisor.alarms(), ...runner.storage.alarms()];
  }
}
