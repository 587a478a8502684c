import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';
import type { EventLog } from '../store/event-log.js';
import type { Topics } from './topics.js';

export interface OutboxPublisherOptions {
  client: MqttClient;
  log: EventLog;
  topics: Topics;
  logger: Logger;
  /** How many events are in flight at once; pages keep memory flat for any backlog. */
  batchSize?: number;
}

interface OutboxEvents {
  published: [seqs: number[]];
  idle: [];
}

/**
 * Drains the SQLite outbox to the broker in sequence order, QoS 1. An event is marked sent
 * only when the broker has acknowledged it; whatever was in flight when the connection dropped
 * stays unsent and goes out again, in order, after the reconnect (so a subscriber can see a
 * duplicate, never a gap: events carry ids for de-duplication).
 */
export class OutboxPublisher extends EventEmitter<OutboxEvents> {
  private draining = false;
  private again = false;
  private stopped = false;
  private readonly batchSize: number;

  constructor(private readonly options: OutboxPublisherOptions) {
    super();
    this.batchSize = options.batchSize ?? 200;
    options.client.on('connect', () => this.notify());
  }

  /** Something was appended (here or by another process): drain when connected. */
  notify(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  stop(): void {
    this.stopped = true;
  }

  get connected(): boolean {
    return this.options.client.connected;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      do {
        this.again = false;
        await this.drainPages();
      } while (this.again && this.connected && !this.stopped);
    } finally {
      this.draining = false;
      if (this.options.log.depth() === 0) this.emit('idle');
    }
  }

  private async drainPages(): Promise<void> {
    const { client, log, topics, logger } = this.options;
    let after = 0;
    while (client.connected && !this.stopped) {
      const page = log.unsent(after, this.batchSize);
      if (page.length === 0) return;
      const results = await Promise.allSettled(
        page.map((row) =>
          client.publishAsync(topics.event(row.type), row.payload, { qos: 1 }).then(() => row.seq),
        ),
      );
      // Only the run before the first failure counts as sent: what follows a failure goes out
      // again after it, so the subscriber never sees the sequence go backwards for good.
      const firstFailure = results.findIndex((r) => r.status === 'rejected');
      const sent = firstFailure === -1 ? page : page.slice(0, firstFailure);
      const acked = sent.map((row) => row.seq);
      log.markPublished(acked);
      if (acked.length > 0) this.emit('published', acked);
      const failed = results[firstFailure];
      if (failed?.status === 'rejected') {
        logger.warn(
          { err: failed.reason as Error, pending: log.depth() },
          'publishing stopped; events stay in the outbox',
        );
        return;
      }
      after = page.at(-1)?.seq ?? after;
    }
  }
}
