import type { ISubscriptionGrant, ISubscriptionMap } from 'mqtt';
import type { ActiveAlarm } from '../domain/cabinet-state.js';
import type { Logger } from '../log/logger.js';
import {
  alarmEventPayload,
  discoveryConfigs,
  discoveryFilter,
  statePayload,
  homeAssistantNodeId,
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
 * Home Assistant's MQTT discovery on the cabinet's link (docs/mqtt.md, "Home Assistant").
 *
 * Enabled, the discovery configs and the cabinet's state are retained states of the link (published
 * when they change and after every reconnect), and each alarm raised is announced once to the
 * event entity. Enabled or not, the cabinet reads back the retained configs under its own node
 * id: the broker is the memory of what an earlier run published, so a config this run does not
 * publish (every one once turned off, a slot the profile no longer has) is cleared with an empty
 * retained message, and one of ours that someone replaced is published again. Nothing read
 * there reaches the cabinet: the entities are read-only and no config names a command topic.
 */
export class HomeAssistantDiscovery {
  /** Topic → payload of every config this run publishes; empty when turned off. */
  private readonly configs: ReadonlyMap<string, string>;
  private readonly filter: string;
  private readonly configTopicPrefix: string;
  private readonly nodeId: string;
  /** Alarms already announced (and still active), so each is announced once. */
  private readonly announced = new Set<string>();
  /** Stale configs cleared on this connection: the first is logged at info, the rest at debug. */
  private clearedThisConnection = 0;

  constructor(
    private readonly link: MqttLink,
    private readonly settings: HomeAssistantSettings,
    private readonly stateTopics: HomeAssistantStateTopics,
    device: HomeAssistantDevice,
    private readonly view: CabinetView,
    private readonly logger: Logger,
  ) {
    const { discoveryPrefix, enabled } = settings;
    const configs = enabled
      ? discoveryConfigs(discoveryPrefix, link.topics, stateTopics, device)
      : [];
    this.configs = new Map(configs.map((c) => [c.topic, c.payload]));
    this.filter = discoveryFilter(discoveryPrefix, device.cabinetId);
    this.configTopicPrefix = `${discoveryPrefix}/`;
    this.nodeId = homeAssistantNodeId(device.cabinetId);
  }

  start(): void {
    const { client, retained } = this.link;
    if (this.settings.enabled) {
      for (const [topic, payload] of this.configs) retained.track(topic, () => payload);
      retained.track(this.stateTopics.state, () => statePayload(this.view.snapshot()));
      retained.refresh(); // already connected: the link's connect has gone by
    }
    // After the link's own connect listener: the configs go out before anything refers to them.
    client.on('connect', this.connected);
    client.on('message', this.received);
    if (client.connected) this.connected();
  }

  stop(): void {
    this.link.client.off('connect', this.connected);
    this.link.client.off('message', this.received);
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
    this.clearedThisConnection = 0;
    // Retain handling 0: the broker sends the retained configs it holds under this node id at
    // every subscription, so each connection looks again (a broker restored from a backup).
    const map = { [this.filter]: { qos: 1, rh: 0 }, resubscribe: true } as ISubscriptionMap;
    this.link.client.subscribe(map, (err, granted) => {
      if (!err && !refused(granted)) return;
      // A broker whose ACL keeps the cabinet out of the discovery prefix: nothing to clear
      // that it could have published, unless the ACL changed since.
      const log = { err, filter: this.filter };
      const message = 'cannot read the Home Assistant configs back to clear stale ones';
      if (this.settings.enabled) this.logger.warn(log, message);
      else this.logger.debug(log, message);
    });
    this.refresh();
  };

  private readonly received = (topic: string, payload: Buffer): void => {
    // An empty payload is a config cleared (by us or by whoever may): nothing to do.
    if (payload.length === 0 || !this.isConfigTopic(topic)) return;
    const ours = this.configs.get(topic);
    if (ours === payload.toString('utf8')) return;
    if (ours !== undefined) {
      this.logger.info({ topic }, 'a Home Assistant config differs from ours: publishing it again');
      this.link.retained.invalidate(topic);
      this.link.retained.refresh();
      return;
    }
    this.clear(topic);
  };

  /** `<discoveryPrefix>/<component>/<nodeId>/<objectId>/config`, this cabinet's node id. */
  private isConfigTopic(topic: string): boolean {
    if (!topic.startsWith(this.configTopicPrefix)) return false;
    const levels = topic.slice(this.configTopicPrefix.length).split('/');
    return levels.length === 4 && levels[1] === this.nodeId && levels[3] === 'config';
  }

  private clear(topic: string): void {
    const { client } = this.link;
    const first = this.clearedThisConnection === 0;
    this.clearedThisConnection++;
    const retain = { qos: 1, retain: true } as const;
    const failed = (err: Error | undefined) => {
      if (err) this.logger.warn({ err, topic }, 'could not clear a Home Assistant config');
    };
    client.publish(topic, '', retain, failed);
    const message = 'cleared a Home Assistant config this cabinet no longer publishes';
    if (first) this.logger.info({ topic }, message);
    else this.logger.debug({ topic }, message);
    // Turned off: the state goes with the configs that read it (the alarm topic retains
    // nothing).
    if (first && !this.settings.enabled) client.publish(this.stateTopics.state, '', retain, failed);
  }
}

/** One alarm, as long as it stays raised: raised again later, it has another `since`. */
function alarmKey(alarm: ActiveAlarm): string {
  return JSON.stringify([alarm.type, alarm.slot ?? null, alarm.reader ?? null, alarm.since]);
}

/** MQTT 3.1.1 refuses with 0x80, MQTT 5 with a reason code of 0x80 or more. */
function refused(granted: ISubscriptionGrant[] | undefined): boolean {
  return (granted ?? []).some((grant) => grant.qos >= 0x80);
}
