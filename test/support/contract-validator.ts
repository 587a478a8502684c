import type { MqttClient } from 'mqtt';
import { checkPublished, type ContractCheck } from '../../src/reference-server/contract-check.js';

export interface Received {
  topic: string;
  payload: Buffer;
  /** Delivered from the broker's retained store (on subscribe), not live. */
  retained: boolean;
  check: ContractCheck;
}

/**
 * Keeps every message a subscriber receives, each checked against the contract (docs/schemas,
 * and the topic against the payload) as it arrives, so a test can fail naming the topic and
 * the schema error of each message that disagrees.
 */
export class ContractRecorder {
  readonly received: Received[] = [];

  constructor(private readonly prefix = 'keywarden/v1') {}

  attach(client: MqttClient): this {
    client.on('message', (topic, payload, packet) =>
      this.received.push({
        topic,
        payload,
        retained: packet.retain,
        check: checkPublished(this.prefix, topic, payload),
      }),
    );
    return this;
  }

  /** `<topic>: <problem>` for every problem of every message; empty when all are valid. */
  problems(): string[] {
    return this.received.flatMap((m) => m.check.problems.map((p) => `${m.topic}: ${p}`));
  }

  /** What arrived, by kind: `event:<type>`, `command:<name>`, or the kind itself. */
  kinds(): Set<string> {
    return new Set(
      this.received.map(({ check: { topic } }) => {
        if (!topic) return 'unknown';
        if (topic.kind === 'event') return `event:${topic.type}`;
        if (topic.kind === 'command') return `command:${topic.name}`;
        return topic.kind;
      }),
    );
  }

  /** The parsed payloads of one kind (see `kinds`), in arrival order. */
  payloads(kind: string): Array<Record<string, unknown>> {
    return this.received
      .filter(({ check: { topic } }) => {
        if (!topic) return false;
        if (topic.kind === 'event') return kind === 'event' || kind === `event:${topic.type}`;
        if (topic.kind === 'command') return kind === 'command' || kind === `command:${topic.name}`;
        return topic.kind === kind;
      })
      .map((m) => m.check.payload as Record<string, unknown>);
  }

  count(kind: string): number {
    return this.payloads(kind).length;
  }
}
