import mqtt, { type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import type { KeywardenConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import type { EventLog } from '../store/event-log.js';
import { connectOptions } from './connect-options.js';
import { endWithin } from './end-within.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { attachReconnectBackoff } from './reconnect-backoff.js';
import { Redelivery } from './redelivery.js';
import { RetainedState } from './retained-state.js';
import { statusPayload, type StatusPayload } from './status.js';
import { topicsFor, type Topics } from './topics.js';
import { assertTransportAllowed } from './transport-security.js';

/**
 * The status carries counters that change with every event: it is republished at most once a
 * second while they move (docs/mqtt.md, "Status and last will"), at once on every (re)connect,
 * and the offline status at once on a stop.
 */
export const STATUS_MIN_INTERVAL_MS = 1_000;

export type MessageHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void;

/**
 * The daemon's connection to the broker: retained status with a last will, the other retained
 * states, the outbox publisher, the resending of what the central server has not acknowledged,
 * and the subscriptions (acknowledgements, commands). The broker being away is normal (events
 * wait in SQLite); each change of reachability is logged once, with how many events are waiting.
 */
export class MqttLink {
  readonly client: MqttClient;
  readonly publisher: OutboxPublisher;
  private readonly redelivery: Redelivery;
  readonly retained: RetainedState;
  readonly topics: Topics;
  private readonly identity: Omit<StatusPayload, 'state'>;
  private readonly handlers: Array<{
    filter: string;
    matches: (t: string) => boolean;
    handle: MessageHandler;
  }> = [];
  private reachable: boolean | undefined;
  private readonly stopBackoff: () => void;

  constructor(
    config: KeywardenConfig,
    private readonly log: EventLog,
    private readonly logger: Logger,
    info: { version: string; startedAt: string },
  ) {
    assertTransportAllowed(config);
    this.topics = topicsFor(config.mqtt.topicPrefix, config.cabinetId);
    this.identity = { cabinetId: config.cabinetId, ...info };
    this.client = mqtt.connect(
      config.mqtt.url,
      connectOptions(config, {
        topic: this.topics.status,
        payload: statusPayload('offline', this.identity),
      }),
    );
    // Attached in the same tick as the connect, before any attempt can fail.
    this.stopBackoff = attachReconnectBackoff(this.client, {
      initialMs: config.mqtt.reconnectMs,
      maxMs: config.mqtt.reconnectMaxMs,
    });
    // Listener order matters: the status and retained states go out before the outbox drains.
    this.client.on('connect', () => {
      this.transition(true, config.mqtt.url);
      this.subscribeAll();
    });
    this.retained = new RetainedState(this.client, logger);
    this.retained.track(this.topics.status, () => this.status('online'), {
      minIntervalMs: STATUS_MIN_INTERVAL_MS,
    });
    this.publisher = new OutboxPublisher({ client: this.client, log, topics: this.topics, logger });
    this.publisher.on('published', () => this.retained.refresh());
    this.redelivery = new Redelivery({
      client: this.client,
      log,
      publisher: this.publisher,
      logger,
      afterMs: config.delivery.resendAfterSeconds * 1000,
    });
    this.client.on('offline', () => this.transition(false, config.mqtt.url));
    this.client.on('error', (err) => this.logger.debug({ err }, 'broker connection error'));
    this.client.on('message', (topic, payload, packet) => this.dispatch(topic, payload, packet));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Routes messages on `filter` (exact, or ending in `/+`) to `handle`, subscribing on every connect. */
  subscribe(filter: string, handle: MessageHandler): void {
    const prefix = filter.endsWith('/+') ? filter.slice(0, -1) : undefined;
    const matches = prefix
      ? (t: string) => t.startsWith(prefix) && !t.slice(prefix.length).includes('/')
      : (t: string) => t === filter;
    this.handlers.push({ filter, matches, handle });
    if (this.client.connected) this.subscribeAll();
  }

  /**
   * Waits (bounded) for the outbox to empty, publishes `offline`, and disconnects, waiting
   * (bounded again) for the broker to confirm what is in flight.
   */
  async stop(drainMs = 2_000, endMs = 2_000): Promise<void> {
    if (this.client.connected && this.log.depth() > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        this.publisher.once('idle', () => {
          clearTimeout(timer);
          resolve();
        });
        this.publisher.notify();
      });
    }
    this.publisher.stop();
    this.redelivery.stop();
    this.retained.stop();
    const offline = this.client.connected
      ? this.client
          .publishAsync(this.topics.status, this.status('offline'), { qos: 1, retain: true })
          .catch((err: unknown) => this.logger.warn({ err }, 'could not publish offline status'))
      : Promise.resolve();
    this.stopBackoff();
    // A broker that hangs would hold the offline status and the in-flight events unconfirmed
    // for ever: the daemon ends its own stop rather than wait for systemd's SIGKILL.
    const ended = await endWithin(this.client, endMs, offline);
    if (ended === 'forced')
      this.logger.warn({ endMs }, 'broker did not confirm in time: disconnected');
  }

  private status(state: StatusPayload['state']): string {
    return statusPayload(state, {
      ...this.identity,
      outboxDepth: this.log.depth(),
      lastAckedSeq: this.log.ackedSeq(),
      lastSeq: this.log.lastSeq(),
    });
  }

  private subscribeAll(): void {
    const filters = [...new Set(this.handlers.map((h) => h.filter))];
    if (filters.length === 0) return;
    // `resubscribe: true` makes MQTT.js send the SUBSCRIBE even for filters it believes it
    // holds: a subscription whose SUBACK was lost to a dropped connection is otherwise never
    // retried when the broker reports a present session (a restarted broker that restored an
    // older session), and the cabinet would stop hearing commands.
    // Retain handling 2: the broker sends none of the retained messages it holds for a filter.
    // The cabinet listens only for what the server says now (acknowledgements, commands); a
    // retained command, stored by whoever published it, would otherwise be delivered again at
    // every connect (the command intake also ignores any message flagged retained). MQTT 3.1.1
    // has no retain handling: there the intake's check is what keeps a retained command out.
    const topics: Record<string, { qos: 1; rh: 2 }> = {};
    for (const filter of filters) topics[filter] = { qos: 1, rh: 2 };
    const map = { ...topics, resubscribe: true } as ISubscriptionMap;
    this.client.subscribe(map, (err) => {
      if (err) this.logger.error({ err, filters }, 'could not subscribe');
    });
  }

  private dispatch(topic: string, payload: Buffer, packet: IPublishPacket): void {
    for (const handler of this.handlers) {
      if (!handler.matches(topic)) continue;
      try {
        handler.handle(topic, payload, packet);
      } catch (err) {
        // A bad message must never take the daemon down.
        this.logger.error({ err, topic }, 'message handler failed');
      }
    }
  }

  private transition(reachable: boolean, url: string): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    const waiting = this.log.depth();
    if (reachable)
      this.logger.info({ url, waiting }, 'connected to the broker; sending the outbox');
    else this.logger.warn({ url, waiting }, 'broker unreachable; events wait in the outbox');
  }
}
