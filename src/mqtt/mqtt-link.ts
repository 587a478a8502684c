import mqtt, { type MqttClient } from 'mqtt';
import type { KeywardenConfig } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import type { EventLog } from '../store/event-log.js';
import { connectOptions } from './connect-options.js';
import { OutboxPublisher } from './outbox-publisher.js';
import { statusPayload, type StatusPayload } from './status.js';
import { topicsFor } from './topics.js';

/**
 * The daemon's connection to the broker: retained online/offline status with a last will, and
 * the outbox publisher. The broker being away is normal (events wait in SQLite); each change of
 * reachability is logged once, with how many events are waiting.
 */
export class MqttLink {
  readonly client: MqttClient;
  readonly publisher: OutboxPublisher;
  private readonly status: Omit<StatusPayload, 'state'>;
  private reachable: boolean | undefined;

  constructor(
    config: KeywardenConfig,
    private readonly log: EventLog,
    private readonly logger: Logger,
    info: { version: string; startedAt: string },
  ) {
    const topics = topicsFor(config.mqtt.topicPrefix, config.cabinetId);
    this.status = { cabinetId: config.cabinetId, ...info };
    this.topics = topics;
    this.client = mqtt.connect(
      config.mqtt.url,
      connectOptions(config, {
        topic: topics.status,
        payload: statusPayload('offline', this.status),
      }),
    );
    this.publisher = new OutboxPublisher({ client: this.client, log, topics, logger });
    this.client.on('connect', () => {
      this.transition(true, config.mqtt.url);
      this.client.publish(topics.status, statusPayload('online', this.status), {
        qos: 1,
        retain: true,
      });
    });
    this.client.on('offline', () => this.transition(false, config.mqtt.url));
    this.client.on('error', (err) => this.logger.debug({ err }, 'broker connection error'));
  }

  private readonly topics: ReturnType<typeof topicsFor>;

  get connected(): boolean {
    return this.client.connected;
  }

  /** Waits (bounded) for the outbox to empty, publishes `offline`, and disconnects. */
  async stop(drainMs = 2_000): Promise<void> {
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
    if (this.client.connected) {
      await this.client
        .publishAsync(this.topics.status, statusPayload('offline', this.status), {
          qos: 1,
          retain: true,
        })
        .catch((err: unknown) => this.logger.warn({ err }, 'could not publish offline status'));
    }
    await this.client.endAsync(!this.client.connected);
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
