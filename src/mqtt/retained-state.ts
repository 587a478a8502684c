import type { MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';

/**
 * Retained topics that describe the cabinet now (status, inventory, alarms). Each is published
 * when its content changes and only then; after every (re)connect all are published again,
 * since a broker restarted without persistence has forgotten them.
 */
export class RetainedState {
  private readonly published = new Map<string, string>();
  private readonly sources = new Map<string, () => string>();

  constructor(
    private readonly client: MqttClient,
    private readonly logger: Logger,
  ) {
    client.on('connect', () => {
      this.published.clear();
      this.refresh();
    });
  }

  /** Registers a topic and how to compute its payload. */
  track(topic: string, payload: () => string): void {
    this.sources.set(topic, payload);
  }

  /** Publishes every tracked topic whose payload differs from what was last published. */
  refresh(): void {
    if (!this.client.connected) return;
    for (const [topic, payload] of this.sources) {
      let content: string;
      try {
        content = payload();
      } catch (err) {
        // A database that cannot be read (corrupt) must not stop the other topics: the alarms
        // state is how the central server learns of it.
        this.logger.warn({ err, topic }, 'could not compute retained state');
        continue;
      }
      this.publishIfChanged(topic, content);
    }
  }

  publishIfChanged(topic: string, payload: string): void {
    if (this.published.get(topic) === payload || !this.client.connected) return;
    this.published.set(topic, payload);
    this.client.publish(topic, payload, { qos: 1, retain: true }, (err) => {
      if (!err) return;
      this.published.delete(topic); // try again at the next refresh
      this.logger.warn({ err, topic }, 'could not publish retained state');
    });
  }

  /** Forgets what was published for a topic, so the next refresh sends it (the `inventory` command). */
  invalidate(topic: string): void {
    this.published.delete(topic);
  }
}
