import type { MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';

export interface TrackOptions {
  /**
   * Publish at most once per this many milliseconds: a change within the interval is held back,
   * and when the interval ends the payload of that moment goes out (the latest state, never a
   * stale one). A (re)connect publishes at once whatever the interval. Default 0: every change.
   */
  minIntervalMs?: number;
}

interface Source {
  payload: () => string;
  minIntervalMs: number;
  /** Running from a publish until the interval is over; changes meanwhile wait for its end. */
  cooldown: NodeJS.Timeout | undefined;
  /** A change came during the cooldown. */
  held: boolean;
}

/**
 * Retained topics that describe the cabinet now (status, inventory, alarms). Each is published
 * when its content changes and only then; after every (re)connect all are published again,
 * since a broker restarted without persistence has forgotten them. A topic whose content
 * changes with every event (the status and its counters) is coalesced to the latest state at
 * most once per interval, so the broker carries a bounded rate whatever the event rate.
 */
export class RetainedState {
  private readonly published = new Map<string, string>();
  private readonly sources = new Map<string, Source>();

  constructor(
    private readonly client: MqttClient,
    private readonly logger: Logger,
  ) {
    client.on('connect', () => {
      this.published.clear();
      for (const source of this.sources.values()) this.endCooldown(source);
      this.refresh();
    });
  }

  /** Registers a topic and how to compute its payload. */
  track(topic: string, payload: () => string, options: TrackOptions = {}): void {
    this.sources.set(topic, {
      payload,
      minIntervalMs: options.minIntervalMs ?? 0,
      cooldown: undefined,
      held: false,
    });
  }

  /** Publishes every tracked topic whose payload differs from what was last published. */
  refresh(): void {
    if (!this.client.connected) return;
    for (const [topic, source] of this.sources) {
      if (source.cooldown) {
        source.held = true;
        continue;
      }
      this.publishLatest(topic, source);
    }
  }

  publishIfChanged(topic: string, payload: string): boolean {
    if (this.published.get(topic) === payload || !this.client.connected) return false;
    this.published.set(topic, payload);
    this.client.publish(topic, payload, { qos: 1, retain: true }, (err) => {
      if (!err) return;
      this.published.delete(topic); // try again at the next refresh
      this.logger.warn({ err, topic }, 'could not publish retained state');
    });
    return true;
  }

  /** Forgets what was published for a topic, so the next refresh sends it (the `inventory` command). */
  invalidate(topic: string): void {
    this.published.delete(topic);
  }

  /** Drops held changes and their timers (shutdown: the offline status is the last word). */
  stop(): void {
    for (const source of this.sources.values()) this.endCooldown(source);
  }

  private publishLatest(topic: string, source: Source): void {
    let content: string;
    try {
      content = source.payload();
    } catch (err) {
      // A database that cannot be read (corrupt) must not stop the other topics: the alarms
      // state is how the central server learns of it.
      this.logger.warn({ err, topic }, 'could not compute retained state');
      return;
    }
    if (!this.publishIfChanged(topic, content) || source.minIntervalMs === 0) return;
    source.cooldown = setTimeout(() => {
      const held = source.held;
      this.endCooldown(source);
      if (held && this.client.connected) this.publishLatest(topic, source);
    }, source.minIntervalMs);
    source.cooldown.unref();
  }

  private endCooldown(source: Source): void {
    clearTimeout(source.cooldown);
    source.cooldown = undefined;
    source.held = false;
  }
}
