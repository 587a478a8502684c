import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { RecordedEvent } from '../domain/events.js';
import { endWithin } from '../mqtt/end-within.js';
import { topicsFor } from '../mqtt/topics.js';
import { CabinetTracker, type TrackerNotice } from './cabinet-tracker.js';
import type { CommandSigner } from './command-signer.js';
import { checkPublished, type ContractCheck } from './contract-check.js';
import type { BrokerTopics } from './topics.js';

export interface FleetMonitorOptions {
  /** Broker URL: mqtt://, mqtts://, ws:// or wss://. */
  url: string;
  /** Topic prefix of the fleet (config `mqtt.topicPrefix`). */
  prefix?: string;
  /** Extra MQTT.js options: credentials, TLS files, a fixed client id. */
  mqtt?: IClientOptions;
  /** Signs `replay` commands. Without one, gaps are reported but never asked for. */
  signer?: CommandSigner;
  /**
   * Acknowledge to the cabinets (default true). An acknowledgement lets a cabinet prune, so only
   * the consumer that stores the events may send it: a monitor watching beside the central
   * server must be started with false.
   */
  acknowledge?: boolean;
  /** Acknowledgements wait this long so that one covers a burst of events. */
  ackDebounceMs?: number;
  /** A gap still open after this long is asked for again with `replay`. */
  gapTimeoutMs?: number;
  /** Wait before asking again for the same gap; doubles up to 5 minutes. */
  replayRetryMs?: number;
  /**
   * How the broker delivers topics (src/reference-server/topics.ts): `dots-as-levels` on
   * RabbitMQ, whose MQTT plugin delivers `…/event/key.checked_in` as `…/event/key/checked_in`.
   * Default `as-published` (Mosquitto and MQTT's own rule). Never guessed from what arrives:
   * anyone who may publish under the prefix could steer a guess.
   */
  brokerTopics?: BrokerTopics;
  /** Check every message against docs/schemas (default true). */
  validate?: boolean;
  /** Return false to drop a message as if it never arrived (fault injection in tests). */
  accept?: (topic: string, payload: Buffer) => boolean;
  /** Monotonic-enough milliseconds for the timers; a test may replace it. */
  now?: () => number;
}

/** Everything the monitor has to say, one notice at a time, in the order it happened. */
export type MonitorNotice =
  | ({ cabinetId: string } & TrackerNotice)
  | { kind: 'status'; cabinetId: string; status: Record<string, unknown> }
  | { kind: 'ack'; cabinetId: string; seq: number }
  | { kind: 'replay'; cabinetId: string; fromSeq: number; commandId: string }
  | { kind: 'reply'; cabinetId: string; reply: Record<string, unknown> }
  | { kind: 'invalid'; topic: string; problems: string[] }
  | { kind: 'problem'; message: string };

interface Cabinet {
  tracker: CabinetTracker;
  /** The highest seq acknowledged to the cabinet (sent, or its own lastAckedSeq at start). */
  acked: number | undefined;
  ackTimer: NodeJS.Timeout | undefined;
  /** The first missing seq being waited for, when to ask for it, and the wait after that. */
  gap: { from: number; nextReplayAt: number; wait: number } | undefined;
}

const MAX_REPLAY_WAIT_MS = 300_000;
/** How long `stop()` may take: a Ctrl-C on `keywarden monitor` returns within it. */
const STOP_BOUND_MS = 5_000;

/**
 * The reference consumer of the Keywarden MQTT contract for a whole fleet: subscribes to every
 * cabinet's events, status and replies; hands each event on once; acknowledges the highest
 * gap-free seq per cabinet; reports gaps, broken chains and replaced databases; and asks for a
 * replay of a gap that does not fill by itself. Listen to 'notice'.
 */
export class FleetMonitor extends EventEmitter<{ notice: [MonitorNotice] }> {
  readonly client: MqttClient;
  readonly prefix: string;
  private readonly cabinets = new Map<string, Cabinet>();
  private readonly options: FleetMonitorOptions;
  private readonly now: () => number;
  private readonly gapTimer: NodeJS.Timeout;
  private validating: boolean;
  private readonly brokerTopics: BrokerTopics;

  constructor(options: FleetMonitorOptions) {
    super();
    this.options = options;
    this.prefix = options.prefix ?? 'keywarden/v1';
    this.now = options.now ?? Date.now;
    this.validating = options.validate !== false;
    this.brokerTopics = options.brokerTopics ?? 'as-published';
    this.client = mqtt.connect(options.url, {
      protocolVersion: 5,
      reconnectPeriod: 1_000,
      ...options.mqtt,
    });
    // The same connection error comes at every reconnect attempt: say it once per outage.
    let lastError: string | undefined;
    this.client.on('connect', () => {
      lastError = undefined;
      // subscribe() reports its own failure as a notice: nothing to wait for here.
      void this.subscribe();
    });
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.client.on('error', (err) => {
      if (err.message === lastError) return;
      lastError = err.message;
      this.notice({ kind: 'problem', message: `${options.url}: ${err.message}` });
    });
    const gapTimeout = options.gapTimeoutMs ?? 3_000;
    this.gapTimer = setInterval(() => this.checkGaps(), Math.min(250, gapTimeout / 2));
    this.gapTimer.unref();
  }

  /** Resolves once connected and subscribed. */
  async ready(): Promise<void> {
    if (!this.client.connected) {
      await new Promise<void>((resolve) => this.client.once('connect', () => resolve()));
    }
    await this.subscribe();
  }

  /** The tracker of a cabinet, once anything of it has arrived. */
  tracker(cabinetId: string): CabinetTracker | undefined {
    return this.cabinets.get(cabinetId)?.tracker;
  }

  /**
   * Sends the acknowledgements still waiting for their debounce, then disconnects, within
   * `boundMs` (src/mqtt/end-within.ts): with the broker gone, an acknowledgement that cannot be
   * confirmed is dropped rather than waited for (the cabinet keeps the events until a later one).
   */
  async stop(boundMs = STOP_BOUND_MS): Promise<void> {
    clearInterval(this.gapTimer);
    const flushes = [...this.cabinets.entries()].map(([id, cabinet]) => {
      clearTimeout(cabinet.ackTimer);
      cabinet.ackTimer = undefined;
      const flush = this.client.connected && this.options.acknowledge !== false;
      return flush ? this.sendAck(id, cabinet) : Promise.resolve();
    });
    await endWithin(this.client, boundMs, Promise.all(flushes));
  }

  private async subscribe(): Promise<void> {
    const p = this.prefix;
    await this.client
      .subscribeAsync([`${p}/+/event/#`, `${p}/+/status`, `${p}/+/reply`], { qos: 1 })
      .catch((err: Error) =>
        this.notice({ kind: 'problem', message: `subscribe: ${err.message}` }),
      );
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (this.options.accept && !this.options.accept(topic, payload)) return;
    const check = this.check(topic, payload);
    if (check.problems.length > 0)
      this.notice({ kind: 'invalid', topic, problems: check.problems });
    const parsed = check.topic;
    const value = check.payload;
    if (!parsed || !isRecord(value)) return;
    try {
      if (parsed.kind === 'event' && isEnvelope(value)) this.onEvent(parsed.cabinetId, value);
      else if (parsed.kind === 'status') this.onStatus(parsed.cabinetId, value);
      else if (parsed.kind === 'reply') {
        this.notice({ kind: 'reply', cabinetId: parsed.cabinetId, reply: value });
      }
    } catch (err) {
      // One odd message must not end the monitor of a whole fleet.
      this.notice({ kind: 'problem', message: `${topic}: ${(err as Error).message}` });
    }
  }

  /** The contract check; without the schema files (not installed?) it goes on unchecked. */
  private check(topic: string, payload: Buffer): ContractCheck {
    if (this.validating) {
      try {
        return checkPublished(this.prefix, topic, payload, true, this.brokerTopics);
      } catch (err) {
        this.validating = false;
        this.notice({
          kind: 'problem',
          message: `messages are not checked against the schemas: ${(err as Error).message}`,
        });
      }
    }
    return checkPublished(this.prefix, topic, payload, false, this.brokerTopics);
  }

  private onEvent(cabinetId: string, event: RecordedEvent): void {
    const cabinet = this.cabinet(cabinetId);
    this.report(cabinetId, cabinet.tracker.receive(event));
    this.progressed(cabinetId, cabinet);
  }

  private onStatus(cabinetId: string, status: Record<string, unknown>): void {
    const cabinet = this.cabinet(cabinetId);
    this.notice({ kind: 'status', cabinetId, status });
    const { lastAckedSeq: acked, lastSeq, outboxDepth } = status;
    if (typeof lastSeq === 'number' && typeof outboxDepth === 'number') {
      cabinet.tracker.announce(lastSeq - outboxDepth);
    }
    // The last will carries no counters; any later online status does.
    if (typeof acked === 'number' && cabinet.tracker.position === undefined) {
      cabinet.acked = acked;
      this.report(cabinetId, cabinet.tracker.start(acked));
    }
    this.progressed(cabinetId, cabinet);
  }

  private cabinet(cabinetId: string): Cabinet {
    let cabinet = this.cabinets.get(cabinetId);
    if (!cabinet) {
      cabinet = {
        tracker: new CabinetTracker(cabinetId),
        acked: undefined,
        ackTimer: undefined,
        gap: undefined,
      };
      this.cabinets.set(cabinetId, cabinet);
    }
    return cabinet;
  }

  private report(cabinetId: string, notices: TrackerNotice[]): void {
    for (const notice of notices) this.notice({ cabinetId, ...notice });
  }

  /** After the position may have moved: debounce an acknowledgement, and re-time the gap. */
  private progressed(cabinetId: string, cabinet: Cabinet): void {
    const position = cabinet.tracker.position;
    const acknowledge = this.options.acknowledge !== false;
    if (
      acknowledge &&
      position !== undefined &&
      position > (cabinet.acked ?? 0) &&
      !cabinet.ackTimer
    ) {
      cabinet.ackTimer = setTimeout(() => {
        cabinet.ackTimer = undefined;
        // sendAck reports a failed publish as a notice; the next event acknowledges again.
        void this.sendAck(cabinetId, cabinet);
      }, this.options.ackDebounceMs ?? 1_000);
    }
    this.timeGap(cabinet);
  }

  private async sendAck(cabinetId: string, cabinet: Cabinet): Promise<void> {
    const seq = cabinet.tracker.position;
    if (seq === undefined || seq <= (cabinet.acked ?? 0)) return;
    const topic = topicsFor(this.prefix, cabinetId).ack;
    try {
      await this.client.publishAsync(topic, JSON.stringify({ seq }), { qos: 1 });
      cabinet.acked = Math.max(cabinet.acked ?? 0, seq);
      this.notice({ kind: 'ack', cabinetId, seq });
    } catch (err) {
      this.notice({
        kind: 'problem',
        message: `acknowledging ${cabinetId}: ${(err as Error).message}`,
      });
    }
  }

  private timeGap(cabinet: Cabinet): void {
    const from = cabinet.tracker.firstMissing;
    if (from === undefined) {
      cabinet.gap = undefined;
      return;
    }
    // A gap that moved up was partly filled: whatever fills it is working, so wait afresh.
    if (cabinet.gap?.from !== from) {
      const now = this.now();
      const timeout = this.options.gapTimeoutMs ?? 3_000;
      const wait = this.options.replayRetryMs ?? 15_000;
      cabinet.gap = { from, nextReplayAt: now + timeout, wait };
    }
  }

  private checkGaps(): void {
    const signer = this.options.signer;
    if (!signer || !this.client.connected) return;
    const now = this.now();
    for (const [cabinetId, cabinet] of this.cabinets) {
      const gap = cabinet.gap;
      if (!gap || now < gap.nextReplayAt) continue;
      gap.nextReplayAt = now + gap.wait;
      gap.wait = Math.min(gap.wait * 2, MAX_REPLAY_WAIT_MS);
      // requestReplay reports a failed publish as a notice; the gap asks again after `wait`.
      void this.requestReplay(cabinetId, gap.from, signer);
    }
  }

  private async requestReplay(
    cabinetId: string,
    fromSeq: number,
    signer: CommandSigner,
  ): Promise<void> {
    const command = signer.sign(cabinetId, 'replay', { fromSeq });
    const topics = topicsFor(this.prefix, cabinetId);
    try {
      await this.client.publishAsync(topics.command('replay'), JSON.stringify(command), {
        qos: 1,
        properties: {
          // A replay request that arrives late is useless: let the broker drop it instead.
          messageExpiryInterval: Math.ceil(signer.ttlMs / 1000),
          // The cabinet's own reply topic: a broker ACL lets a cabinet publish only there.
          responseTopic: topics.reply,
          correlationData: Buffer.from(command.id),
        },
      });
      this.notice({ kind: 'replay', cabinetId, fromSeq, commandId: command.id });
    } catch (err) {
      this.notice({
        kind: 'problem',
        message: `replay for ${cabinetId}: ${(err as Error).message}`,
      });
    }
  }

  private notice(notice: MonitorNotice): void {
    this.emit('notice', notice);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Enough of the envelope to track an event, even one that fails the schema otherwise. */
function isEnvelope(
  value: Record<string, unknown>,
): value is Record<string, unknown> & RecordedEvent {
  return (
    typeof value.id === 'string' &&
    Number.isSafeInteger(value.seq) &&
    (value.seq as number) >= 1 &&
    typeof value.hash === 'string' &&
    typeof value.prevHash === 'string'
  );
}
