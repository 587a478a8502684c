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
  /** How many events are in flight at once (default 1,000); memory stays flat for any backlog. */
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
    this.batchSize = options.batchSize ?? 1000;
    options.client.on('connect', () => this.notify());
  }

  /** Something was appended (here or by another process): drain when connected. */
  notify(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    // Fire and forget: appending must not wait for the broker. drain() settles the broker's
    // failures itself (publishing stops, the events stay); only a failing outbox read rejects,
    // and that reaches the crash guard: outputs off, the daemon restarted.
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

  /**
   * A sliding window of publishes: as each PUBACK arrives the next event goes out, so the
   * connection never sits idle waiting for the tail of a batch (a batch-and-wait loop stalls
   * on TCP delayed acknowledgements, about 40 ms a round). Events are marked sent in sequence
   * order, and only up to the first failure: what follows a failure goes out again after it.
   */
  private drainPages(): Promise<void> {
    const { client, log, logger } = this.options;
    const window = this.batchSize;
    const queue: Array<{ seq: number; type: string; payload: string }> = [];
    const inFlight: Array<{ seq: number; settled: boolean; failed: boolean }> = [];
    const acked: number[] = [];
    let fetchedUpTo = 0;
    let exhausted = false;
    let failure: unknown;

    const flush = () => {
      if (acked.length === 0) return;
      const seqs = acked.splice(0);
      try {
        log.markPublished(seqs);
      } catch (err) {
        // The database refuses writes (storage alarm): stop here. Unmarked events go out again
        // later, which a consumer de-duplicates by id.
        failure ??= err;
        return;
      }
      this.emit('published', seqs);
    };

    return new Promise<void>((resolve) => {
      let abandoned = false;
      // A dropped connection may leave publishes that never settle (a broker that lost the
      // session never acknowledges them). Give up on them: they are not marked sent, so the
      // next drain after the reconnect sends them again, in order.
      const onClose = () => {
        if (abandoned) return;
        abandoned = true;
        while (inFlight[0]?.settled && !inFlight[0].failed) acked.push(inFlight.shift()!.seq);
        flush();
        resolve();
      };
      client.once('close', onClose);
      const finish = () => {
        client.off('close', onClose);
        resolve();
      };
      const pump = (): void => {
        if (abandoned) return;
        while (inFlight[0]?.settled && !inFlight[0].failed) acked.push(inFlight.shift()!.seq);
        if (acked.length >= window) flush();
        while (
          failure === undefined &&
          client.connected &&
          !this.stopped &&
          inFlight.length < window
        ) {
          if (queue.length === 0 && !exhausted) {
            const page = log.unsent(fetchedUpTo, window);
            if (page.length === 0) exhausted = true;
            else fetchedUpTo = page[page.length - 1]!.seq;
            queue.push(...page);
          }
          const row = queue.shift();
          if (!row) break;
          const entry = { seq: row.seq, settled: false, failed: false };
          inFlight.push(entry);
          client.publishAsync(this.options.topics.event(row.type), row.payload, { qos: 1 }).then(
            () => {
              entry.settled = true;
              pump();
            },
            (err: unknown) => {
              entry.settled = true;
              entry.failed = true;
              failure ??= err;
              pump();
            },
          );
        }
        if (inFlight.some((e) => !e.settled)) return;
        flush();
        if (failure !== undefined) {
          logger.warn(
            { err: failure as Error, pending: log.depth() },
            'publishing stopped; events stay in the outbox',
          );
        }
        finish();
      };
      pump();
    });
  }
}
