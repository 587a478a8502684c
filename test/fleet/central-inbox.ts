import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';

export interface ReceivedReply {
  topic: string;
  payload: Record<string, unknown>;
  packet: IPublishPacket;
}

/**
 * The central server's side of the fleet tests, as docs/mqtt.md ("What the server should do")
 * asks: a persistent session, QoS 1 on every cabinet's events and replies, events stored by
 * id (a duplicate is counted and dropped), and the highest gap-free seq acknowledged per
 * cabinet, debounced. What it counts is what the tests assert: every id once, none missing.
 */
export class CentralInbox {
  readonly client: MqttClient;
  /** Per cabinet: seq -> id of the first copy stored. */
  readonly events = new Map<string, Map<number, string>>();
  /** Every event message that arrived, duplicates included. */
  received = 0;
  duplicates = 0;
  /** The same seq arrived with another id: never expected. */
  conflicts = 0;
  /** Event topics as they arrived (a broker may rewrite them: RabbitMQ does). */
  readonly eventTopics = new Set<string>();
  readonly replies: ReceivedReply[] = [];
  /** Other messages (bridge states, statuses), in order. */
  readonly other: Array<{ topic: string; payload: string; retain: boolean }> = [];
  private readonly acked = new Map<string, number>();
  private ackPending = false;
  private closed = false;

  private constructor(
    client: MqttClient,
    private readonly acknowledge: boolean,
  ) {
    this.client = client;
    client.on('message', (topic, payload, packet) => this.take(topic, payload, packet));
  }

  static async connect(
    url: string,
    options: IClientOptions & { acknowledge?: boolean; filters?: string[] } = {},
  ): Promise<CentralInbox> {
    const { acknowledge = true, filters, ...connect } = options;
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 5,
      clientId: 'central',
      clean: false,
      reconnectPeriod: 200,
      ...(connect.protocolVersion === 4 ? {} : { properties: { sessionExpiryInterval: 86_400 } }),
      ...connect,
    });
    const inbox = new CentralInbox(client, acknowledge);
    await client.subscribeAsync(
      filters ?? ['keywarden/v1/+/event/#', 'keywarden/v1/+/reply/#', 'keywarden/sites/+/bridge'],
      { qos: 1 },
    );
    return inbox;
  }

  /** Every seq from 1 to `lastSeq` of `cabinetId` is stored. */
  hasAll(cabinetId: string, lastSeq: number): boolean {
    const seqs = this.events.get(cabinetId);
    if (seqs === undefined) return false;
    for (let seq = 1; seq <= lastSeq; seq++) if (!seqs.has(seq)) return false;
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client.endAsync(true);
  }

  private take(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (topic.includes('/event/')) return this.takeEvent(topic, payload);
    if (/\/reply(\/|$)/.test(topic)) {
      this.replies.push({
        topic,
        payload: JSON.parse(payload.toString()) as Record<string, unknown>,
        packet,
      });
      return;
    }
    this.other.push({ topic, payload: payload.toString(), retain: packet.retain });
  }

  private takeEvent(topic: string, payload: Buffer): void {
    this.received++;
    this.eventTopics.add(topic);
    const event = JSON.parse(payload.toString()) as { id: string; seq: number; cabinetId: string };
    let seqs = this.events.get(event.cabinetId);
    if (seqs === undefined) this.events.set(event.cabinetId, (seqs = new Map<number, string>()));
    const known = seqs.get(event.seq);
    if (known === event.id) this.duplicates++;
    else if (known !== undefined) this.conflicts++;
    else seqs.set(event.seq, event.id);
    if (this.acknowledge) this.scheduleAck();
  }

  /**
   * Acknowledges each cabinet's highest gap-free seq once per batch of messages read together
   * (setImmediate: after the socket's current data is handled), even when it did not move: a
   * duplicate means the cabinet did not get the last acknowledgement (lost with a broker), so
   * it is sent again.
   */
  private scheduleAck(): void {
    if (this.ackPending) return;
    this.ackPending = true;
    setImmediate(() => {
      this.ackPending = false;
      if (this.closed) return;
      for (const [cabinetId, seqs] of this.events) {
        let gapFree = this.acked.get(cabinetId) ?? 0;
        while (seqs.has(gapFree + 1)) gapFree++;
        if (gapFree === 0) continue;
        this.acked.set(cabinetId, gapFree);
        this.client.publish(`keywarden/v1/${cabinetId}/ack`, JSON.stringify({ seq: gapFree }), {
          qos: 1,
        });
      }
    });
  }
}
