import type { MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';
import type { EventLog } from '../store/event-log.js';
import type { OutboxPublisher } from './outbox-publisher.js';

export interface RedeliveryOptions {
  client: MqttClient;
  log: EventLog;
  publisher: OutboxPublisher;
  logger: Logger;
  /** Published events not acknowledged by the central server this long are published again. */
  afterMs: number;
  /** The longest wait, reached by doubling while the server acknowledges nothing new. */
  maxAfterMs?: number;
  /** Milliseconds on a clock that never jumps (a test may replace it). */
  now?: () => number;
}

/** Publishes close together are remembered as one batch: memory follows time, not events. */
const BATCH_MS = 1_000;
const HOUR_MS = 3_600_000;

/**
 * At-least-once delivery end to end (docs/mqtt.md, "Delivery"). The broker's PUBACK only means
 * the broker has an event; a broker that crashes before its subscriber got it loses it, and
 * nothing on the server's side reveals a lost tail. So the cabinet watches the central server's
 * own acknowledgement: when events published `afterMs` ago or longer are still not acknowledged,
 * every event after the acknowledged seq goes back in the outbox and out again, in order, with
 * the same bytes (the server de-duplicates by id).
 *
 * A server that is away, or a deployment without one, would otherwise receive the whole backlog
 * every `afterMs`: each resend that brings no new acknowledgement doubles the wait, up to
 * `maxAfterMs` (an hour by default); any acknowledgement brings it back to `afterMs`.
 */
export class Redelivery {
  /** Published, perhaps not yet acknowledged: the highest seq of each batch and when it went out. */
  private outstanding: Array<{ upTo: number; at: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private waitMs: number;
  /** The acknowledged seq when events were last sent again: unchanged since means no progress. */
  private ackedAtResend = -1;
  private stopped = false;
  private readonly now: () => number;
  private readonly maxAfterMs: number;

  constructor(private readonly options: RedeliveryOptions) {
    this.now = options.now ?? (() => performance.now());
    this.waitMs = options.afterMs;
    this.maxAfterMs = Math.max(options.maxAfterMs ?? HOUR_MS, options.afterMs);
    options.publisher.on('published', (seqs) => this.published(seqs));
    // Waiting runs only while connected: a resend needs the connection, and after a reconnect
    // the events whose time has passed (a broker that restarted empty) go out at once.
    options.client.on('close', () => this.disarm());
    options.client.on('connect', () => this.arm());
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private published(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const upTo = Math.max(...seqs);
    const at = this.now();
    const last = this.outstanding.at(-1);
    if (last && at - last.at < BATCH_MS) last.upTo = Math.max(last.upTo, upTo);
    else this.outstanding.push({ upTo, at });
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.stopped || this.outstanding.length === 0) return;
    const dueIn = this.outstanding[0]!.at + this.waitMs - this.now();
    this.timer = setTimeout(() => this.check(), Math.max(0, dueIn));
    this.timer.unref();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    if (this.stopped || !this.options.client.connected) return;
    const acked = this.options.log.ackedSeq();
    while (this.outstanding.length > 0 && this.outstanding[0]!.upTo <= acked) {
      this.outstanding.shift();
    }
    if (this.outstanding.length === 0) return;
    if (acked > this.ackedAtResend) this.waitMs = this.options.afterMs; // the server is working
    if (this.outstanding[0]!.at + this.waitMs > this.now()) {
      this.arm();
      return;
    }
    this.resend(acked);
  }

  private resend(acked: number): void {
    const { log, publisher, logger } = this.options;
    let requeued: number;
    try {
      requeued = log.requeueFrom(acked + 1);
    } catch (err) {
      // The database refuses writes (a storage alarm): try again after another wait.
      logger.warn({ err }, 'could not put unacknowledged events back in the outbox');
      this.outstanding[0]!.at = this.now();
      this.arm();
      return;
    }
    logger.info(
      { fromSeq: acked + 1, events: requeued, waitedMs: this.waitMs },
      'the central server has not acknowledged these events; publishing them again',
    );
    this.outstanding = []; // they come back through 'published' as they go out again
    this.ackedAtResend = acked;
    this.waitMs = Math.min(this.waitMs * 2, this.maxAfterMs);
    publisher.notify();
  }
}
