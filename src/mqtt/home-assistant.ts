import type { ActiveAlarm } from '../domain/cabinet-state.js';
import type { Logger } from '../log/logger.js';
import {
  alarmEventPayload,
  discoveryConfigs,
  statePayload,
  type CabinetSnapshot,
  type HomeAssistantDevice,
  type HomeAssistantStateTopics,
} from './home-assistant-discovery.js';
import type { MqttLink } from './mqtt-link.js';

export interface HomeAssistantSettings {
  enabled: boolean;
  discoveryPrefix: string;
}

/** What Home Assistant is shown of the cabinet, read at each change. */
export interface CabinetView {
  snapshot(): CabinetSnapshot;
  /** The alarms the retained alarms state lists now. */
  alarms(): readonly ActiveAlarm[];
}

/**
 * The retained topics the cabinet published for Home Assistant, kept in its own database
 * (src/store/home-assistant-topics.ts): the memory of what an earlier run left on the broker.
 */
export interface PublishedTopics {
  list(): string[];
  /** Called before the topics are first published. */
  add(topics: readonly string[]): void;
  /** Called once the broker acknowledged a topic's clearing. */
  remove(topic: string): void;
}

/**
 * Home Assistant's MQTT discovery on the cabinet's link (docs/mqtt.md, "Home Assistant").
 *
 * Enabled, the discovery configs and the cabinet's state are retained states of the link (published
 * when they change and after every reconnect), and each alarm raised is announced once to the
 * event entity. Every topic is written to `PublishedTopics` before it is first published; at
 * each connection, enabled or not, those this run does not publish (every one once turned off, a
 * slot the profile no longer has, a former discovery prefix) are cleared with an empty retained
 * message and forgotten once the broker has it. The cabinet subscribes to nothing under the
 * discovery prefix: what others publish there can make it publish nothing, and the clears are
 * bounded by what it published itself.
 */
export class HomeAssistantDiscovery {
  /** Every retained topic this run publishes, configs first; empty when turned off. */
  private readonly ours: ReadonlySet<string>;
  private readonly configs: ReadonlyMap<string, string>;
  /** Alarms already announced (and still active), so each is announced once. */
  private readonly announced = new Set<string>();
  /** Clears sent and not yet acknowledged, so that one is not sent twice at once. */
  private readonly clearing = new Set<string>();

  constructor(
    private readonly link: MqttLink,
    private readonly settings: HomeAssistantSettings,
    private readonly stateTopics: HomeAssistantStateTopics,
    device: HomeAssistantDevice,
    private readonly view: CabinetView,
    private readonly published: PublishedTopics,
    private readonly logger: Logger,
  ) {
    const { discoveryPrefix, enabled } = settings;
    const configs = enabled
      ? discoveryConfigs(discoveryPrefix, link.topics, stateTopics, device)
      : [];
    this.configs = new Map(configs.map((c) => [c.topic, c.payload]));
    this.ours = new Set(enabled ? [...this.configs.keys(), stateTopics.state] : []);
  }

  start(): void {
    const { client, retained } = this.link;
    if (this.settings.enabled) {
      this.remember();
      for (const [topic, payload] of this.configs) retained.track(topic, () => payload);
      retained.track(this.stateTopics.state, () => statePayload(this.view.snapshot()));
      retained.refresh(); // already connected: the link's connect has gone by
    }
    // After the link's own connect listener: the configs go out before anything refers to them.
    client.on('connect', this.connected);
    if (client.connected) this.connected();
  }

  stop(): void {
    this.link.client.off('connect', this.connected);
  }

  /** The cabinet's state changed: announces each alarm raised since the last look, once. */
  refresh(): void {
    const { client } = this.link;
    if (!this.settings.enabled || !client.connected) return;
    const alarms = this.view.alarms();
    const active = new Set(alarms.map(alarmKey));
    for (const key of this.announced) if (!active.has(key)) this.announced.delete(key);
    for (const alarm of alarms) {
      const key = alarmKey(alarm);
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      // Not retained: Home Assistant ignores a retained event, and the active alarms sensor
      // (the retained alarms state) is what survives a restart of either side.
      client.publish(this.stateTopics.alarm, alarmEventPayload(alarm), { qos: 1 }, (err) => {
        if (!err) return;
        this.announced.delete(key); // announced again at the next change or reconnect
        this.logger.warn(
          { err, alarm: alarm.type },
          'could not announce an alarm to Home Assistant',
        );
      });
    }
  }

  private readonly connected = (): void => {
    this.clearStale();
    this.refresh();
  };

  /**
   * Lists this run's topics before they are published, so a later run can clear them. A
   * database that cannot be written does not keep discovery off: it is logged, and what this
   * run adds may then outlive a later turning off.
   */
  private remember(): void {
    try {
      this.published.add([...this.ours]);
    } catch (err) {
      this.logger.warn({ err }, 'cannot record the Home Assistant topics: they may not be cleared');
    }
  }

  /** Clears what an earlier run published and this one does not; the configs before the state. */
  private clearStale(): void {
    let stale: string[];
    try {
      stale = this.published.list().filter((topic) => !this.ours.has(topic));
    } catch (err) {
      this.logger.warn({ err }, 'cannot read which Home Assistant topics to clear');
      return;
    }
    stale.sort((a, b) => Number(!a.endsWith('/config')) - Number(!b.endsWith('/config')));
    const todo = stale.filter((topic) => !this.clearing.has(topic));
    if (todo.length === 0) return;
    this.logger.info(
      { topics: todo.length },
      'clearing the Home Assistant topics this cabinet no longer publishes',
    );
    for (const topic of todo) {
      this.clearing.add(topic);
      this.link.client.publish(topic, '', { qos: 1, retain: true }, (err) => {
        this.clearing.delete(topic);
        if (err) {
          // Still listed: cleared at the next connection.
          this.logger.warn({ err, topic }, 'could not clear a Home Assistant topic');
          return;
        }
        try {
          this.published.remove(topic);
        } catch (error) {
          this.logger.warn({ err: error, topic }, 'cannot record a Home Assistant topic cleared');
        }
      });
    }
  }
}

/** One alarm, as long as it stays raised: raised again later, it has another `since`. */
function alarmKey(alarm: ActiveAlarm): string {
  return JSON.stringify([alarm.type, alarm.slot ?? null, alarm.reader ?? null, alarm.since]);
}
