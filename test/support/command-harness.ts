import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { expect } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import type { CommandReply } from '../../src/contract/command-reply.js';
import { loadProfile, type HardwareProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { RecordingClock } from '../../src/domain/clock.js';
import type { CommandRejection, RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { hardwareDir } from '../../src/paths.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import type { TestSigner } from './command-signer.js';
import { startMosquitto, type Broker } from './mosquitto.js';
import { seedCabinet } from './seed.js';
import { testConfig } from './test-config.js';
import { waitFor } from './wait-for.js';

export const CABINET = 'test-cab';
export const BASE = `keywarden/v1/${CABINET}`;

export interface Received {
  topic: string;
  reply: CommandReply;
  packet: IPublishPacket;
}

export interface SendOptions {
  /** Publish on cmd/<topicName> instead of cmd/<the command's name>. */
  topicName?: string;
  responseTopic?: string;
  correlationData?: Buffer;
}

/** What a rejection must leave unchanged: everything the command tables and the log hold. */
export interface Snapshot {
  lastSeq: number;
  counters: unknown[];
  executed: unknown[];
  lockdown: unknown[];
}

/**
 * A real Mosquitto, the daemon in-process on the simulated 12-slot cabinet (Alice may take
 * slots 1 and 2, which hold K-1 and K-2), and a "central server" client that sends commands
 * and collects every reply (default reply topic, below it, and central/#).
 */
export class CommandHarness {
  daemon!: Daemon;
  gpio!: SimGpioDriver;
  server!: MqttClient;
  readonly replies: Received[] = [];
  private reader!: Database;
  /** Sends still waiting for their reply, oldest first, each with the command id it expects. */
  private waiting: Array<{ commandId: string | null; resolve: (r: Received) => void }> = [];

  private constructor(
    readonly broker: Broker,
    readonly database: string,
    readonly signers: TestSigner[],
    private readonly profile: HardwareProfile,
    private readonly commands: Record<string, unknown>,
  ) {}

  /** `commands`: more of the config's `commands` section (the keys are the signers'). */
  static async start(
    signers: TestSigner[],
    profile = loadProfile('sim', hardwareDir()),
    commands: Record<string, unknown> = {},
  ): Promise<CommandHarness> {
    const broker = await startMosquitto();
    const database = join(mkdtempSync(join(tmpdir(), 'keywarden-cmd-')), 'cabinet.db');
    seedCabinet(database, CABINET);
    const h = new CommandHarness(broker, database, signers, profile, commands);
    h.server = mqtt.connect(broker.url, { protocolVersion: 5, clientId: 'central' });
    h.server.on('message', (topic, payload, packet) => {
      if (!topic.startsWith(`${BASE}/reply`) && !topic.startsWith('central/')) return;
      const received = { topic, reply: JSON.parse(payload.toString()) as CommandReply, packet };
      h.replies.push(received);
      h.answer(received);
    });
    await new Promise<void>((resolve) => h.server.once('connect', () => resolve()));
    // `reply/#` matches `reply` itself: subscribing to both would have the broker deliver every
    // reply twice (once per matching subscription).
    await h.server.subscribeAsync([`${BASE}/reply/#`, 'central/#'], { qos: 1 });
    await h.startDaemon();
    h.reader = openDatabase(database, { readonly: true });
    return h;
  }

  /**
   * Starts (or starts again) the daemon and waits until it receives commands; `clock` replaces
   * the system clock (a test that sets the wall clock back).
   */
  async startDaemon(clock?: RecordingClock): Promise<void> {
    this.gpio = new SimGpioDriver({ logger: silentLogger() });
    this.daemon = new Daemon({
      config: testConfig({
        cabinetId: CABINET,
        database: this.database,
        mqtt: { url: this.broker.url, reconnectMs: 100 },
        sim: { host: '127.0.0.1', port: 0 },
        commands: { ...this.commands, keys: this.signers.map((s) => s.configKey) },
      }),
      profile: this.profile,
      logger: silentLogger(),
      gpio: this.gpio,
      ...(clock ? { clock } : {}),
    });
    await this.daemon.start();
    // The daemon subscribes to its commands before its outbox drains, and the broker handles a
    // connection's packets in order: once cabinet.started is out, commands reach it.
    await waitFor(
      () => this.daemon.mqtt.connected && this.daemon.eventLog.depth() === 0,
      'the daemon connected and its outbox drained',
    );
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
    this.reader.close();
    await this.server.endAsync(true);
    await this.broker.stop();
  }

  /**
   * Publishes a command (an object is sent as JSON) and resolves with the first reply that
   * carries its id (null for a payload with no readable id). Matching by id, not by arrival:
   * commands go at QoS 1, at least once, so a command redelivered after a reconnect is refused
   * or answered again, and that late reply must not be taken for the next command's.
   */
  send(command: object | string | Buffer, options: SendOptions = {}): Promise<Received> {
    const name =
      options.topicName ??
      (typeof command === 'object' && 'name' in command ? String(command.name) : 'ping');
    const payload =
      typeof command === 'string' || Buffer.isBuffer(command) ? command : JSON.stringify(command);
    const properties: NonNullable<IPublishPacket['properties']> = {};
    if (options.responseTopic) properties.responseTopic = options.responseTopic;
    if (options.correlationData) properties.correlationData = options.correlationData;
    const commandId = readableId(command);
    const next = new Promise<Received>((resolve, reject) => {
      const waiter = {
        commandId,
        resolve: (r: Received) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error(`no reply to command ${String(commandId)} within 10 s`));
      }, 10_000);
      this.waiting.push(waiter);
    });
    this.server.publish(`${BASE}/cmd/${name}`, payload, { qos: 1, properties });
    return next;
  }

  /** Hands a reply to the oldest send waiting for its command id; other replies stay in `replies`. */
  private answer(received: Received): void {
    const index = this.waiting.findIndex((w) => w.commandId === received.reply.commandId);
    if (index === -1) return;
    const [waiter] = this.waiting.splice(index, 1);
    waiter?.resolve(received);
  }

  /** Events recorded after `seq`, oldest first. */
  eventsSince(seq: number): RecordedEvent[] {
    return this.daemon.eventLog.recent(500).filter((e) => e.seq > seq);
  }

  snapshot(): Snapshot {
    const all = (sql: string) => this.reader.prepare(sql).all();
    return {
      lastSeq: this.daemon.eventLog.lastSeq(),
      counters: all('SELECT * FROM command_counters ORDER BY key_id'),
      executed: all('SELECT * FROM executed_commands ORDER BY id'),
      lockdown: all('SELECT * FROM lockdown_state'),
    };
  }

  energised(): string[] {
    return this.gpio
      .outputs()
      .filter((o) => o.on)
      .map((o) => o.name);
  }

  /**
   * Asserts a refusal: the reply says so, the one event recorded is its `command.rejected`,
   * and nothing else moved (counters, remembered ids, lockdown, outputs).
   */
  expectOnlyRejection(
    before: Snapshot,
    received: Received,
    reason: CommandRejection,
    commandId: string | null,
  ): void {
    expect(received.topic).toBe(`${BASE}/reply`);
    expect(received.reply).toMatchObject({ status: 'rejected', reason, commandId });
    const events = this.eventsSince(before.lastSeq);
    expect(events.map((e) => e.type)).toEqual(['command.rejected']);
    expect(events[0]?.data).toMatchObject({ reason, commandId });
    const { lastSeq: _ignored, ...tables } = this.snapshot();
    const { lastSeq: _before, ...tablesBefore } = before;
    expect(tables).toEqual(tablesBefore);
    expect(this.energised()).toEqual([]);
  }
}

/** The id the cabinet reads from a command, as its reply carries it: a string `id`, else null. */
function readableId(command: object | string | Buffer): string | null {
  let parsed: unknown = command;
  if (typeof command === 'string' || Buffer.isBuffer(command)) {
    try {
      parsed = JSON.parse(command.toString());
    } catch {
      return null;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || !('id' in parsed)) return null;
  return typeof parsed.id === 'string' ? parsed.id : null;
}
