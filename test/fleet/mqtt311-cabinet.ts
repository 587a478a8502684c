import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon/daemon.js';
import { createLogger } from '../../src/log/logger.js';
import { FleetMonitor, type MonitorNotice } from '../../src/reference-server/fleet-monitor.js';
import type { BrokerTopics } from '../../src/reference-server/topics.js';
import { TestSigner } from '../support/command-signer.js';
import { CLI } from '../support/daemon-process.js';
import { waitFor } from '../support/wait-for.js';
import { CentralInbox } from './central-inbox.js';
import { CABINET, record, recordedIds, startFleetCabinet } from './fleet-cabinet.js';

export interface Mqtt311Broker {
  url: string;
  stop(): Promise<void>;
}

export interface Mqtt311Case {
  start(): Promise<Mqtt311Broker>;
  /** The protocol the central server speaks (RabbitMQ 3.10: 4 only). */
  centralProtocol: 4 | 5;
  /** The topic an event of type key.unknown_fob arrives on at the central server. */
  eventTopic: string;
  /**
   * Whether the broker sends retained messages to a wildcard subscription (cmd/+) at subscribe.
   * Mosquitto does; RabbitMQ 3.10 sends them only to a subscription without wildcards.
   */
  retainedToWildcards: boolean;
  /** How the broker delivers topics: `keywarden monitor --rabbitmq` gives dots-as-levels. */
  monitorTopics: BrokerTopics;
  /** Extra checks on the running broker (e.g. that the cabinet really connected as 3.1.1). */
  protocolEvidence?: (broker: Mqtt311Broker) => void | Promise<void>;
}

const BASE = `keywarden/v1/${CABINET}`;

/**
 * The cabinet with `mqtt.protocolVersion: 4` (MQTT 3.1.1) against a broker, as docs/mqtt.md
 * ("Other brokers") describes it: events delivered and the outbox drained, the retained status
 * and the last will, a signed command answered on the default reply topic (3.1.1 carries no
 * response topic nor correlation data), and a retained command ignored although 3.1.1 has no
 * retain handling to keep it from the cabinet.
 */
export function mqtt311Cabinet(c: Mqtt311Case): void {
  const signer = new TestSigner('central-1', CABINET);
  const logLines: string[] = [];
  let broker: Mqtt311Broker;
  let inbox: CentralInbox;
  let cabinet: Daemon;
  const watchers: MqttClient[] = [];

  beforeAll(async () => {
    broker = await c.start();
    inbox = await CentralInbox.connect(broker.url, { protocolVersion: c.centralProtocol });
    const destination = new PassThrough();
    destination.on('data', (chunk: Buffer) => logLines.push(...chunk.toString().split('\n')));
    cabinet = await startFleetCabinet({
      url: broker.url,
      signer,
      protocolVersion: 4,
      logger: createLogger({ pretty: false, destination }),
    });
  }, 180_000);
  afterAll(async () => {
    await Promise.all(watchers.map((w) => w.endAsync(true)));
    await cabinet?.stop();
    await inbox?.close();
    await broker?.stop();
  }, 60_000);

  it('connects with MQTT 3.1.1; every event reaches the central server and is acknowledged', async () => {
    await c.protocolEvidence?.(broker);
    record(cabinet, 20, 'BEEF');
    await waitFor(
      () =>
        inbox.hasAll(CABINET, cabinet.eventLog.lastSeq()) &&
        cabinet.eventLog.ackedSeq() === cabinet.eventLog.lastSeq(),
      'every event at the central server and acknowledged',
      30_000,
    );
    expect(cabinet.eventLog.depth()).toBe(0);
    expect(inbox.events.get(CABINET)).toEqual(recordedIds(cabinet));
    expect(inbox.eventTopics).toContain(c.eventTopic);
  });

  it('keywarden monitor reads each event once; a forged topic is reported unless the broker made it ours', async () => {
    const monitor = new FleetMonitor({
      url: broker.url,
      brokerTopics: c.monitorTopics,
      // Beside the inbox, which stays the one that acknowledges.
      acknowledge: false,
      mqtt: { protocolVersion: c.centralProtocol },
    });
    const notices: MonitorNotice[] = [];
    monitor.on('notice', (n) => notices.push(n));
    const forger = await mqtt.connectAsync(broker.url, {
      protocolVersion: c.centralProtocol,
      reconnectPeriod: 0,
    });
    watchers.push(forger);
    try {
      await monitor.ready();
      const from = cabinet.eventLog.lastSeq() + 1;
      record(cabinet, 5, 'CAFE');
      const last = cabinet.eventLog.lastSeq();
      const events = () => notices.flatMap((n) => (n.kind === 'event' ? [n.event] : []));
      await waitFor(
        () => events().filter((e) => e.seq >= from).length === last - from + 1,
        'every new event at the monitor',
        30_000,
      );
      expect(
        events()
          .filter((e) => e.seq >= from)
          .map((e) => e.type),
      ).toEqual(Array.from({ length: last - from + 1 }, () => 'key.unknown_fob'));
      expect(notices.filter((n) => n.kind === 'invalid')).toEqual([]);

      // Someone who may publish under the prefix sends the last event again, on both spellings
      // of its topic, and on both spellings of a topic naming another type; then an end marker.
      const event = events().find((e) => e.seq === last);
      const payload = JSON.stringify(event);
      const before = notices.length;
      for (const type of ['key.unknown_fob', 'key/unknown_fob', 'key/checked_in', 'key.checked_in'])
        await forger.publishAsync(`${BASE}/event/${type}`, payload, { qos: 1 });
      await forger.publishAsync(`${BASE}/event/end`, payload, { qos: 1 });
      const arrived = () => notices.slice(before);
      const ended = (n: MonitorNotice) => n.kind === 'invalid' && n.topic === `${BASE}/event/end`;
      await waitFor(() => arrived().some(ended), 'the end marker at the monitor', 30_000);

      const invalid = arrived().flatMap((n) =>
        n.kind === 'invalid' && !ended(n) ? [`${n.topic}: ${n.problems.join('; ')}`] : [],
      );
      const mismatch = 'type: "key.unknown_fob" does not match the topic (key.checked_in)';
      if (c.monitorTopics === 'dots-as-levels') {
        // The broker delivers both spellings alike: the event's are the same event (a duplicate,
        // as any resend), and both of the other type's are reported.
        expect(invalid).toEqual([
          `${BASE}/event/key/checked_in: ${mismatch}`,
          `${BASE}/event/key/checked_in: ${mismatch}`,
        ]);
      } else {
        // Delivered as published: only the contract's spelling is an event topic.
        const notOurs = `not a topic of the contract under keywarden/v1/`;
        expect(invalid).toEqual([
          `${BASE}/event/key/unknown_fob: ${notOurs}`,
          `${BASE}/event/key/checked_in: ${notOurs}`,
          `${BASE}/event/key.checked_in: ${mismatch}`,
        ]);
      }
      // Never shown twice: the event is printed once, the copies are duplicates of its id.
      expect(events().filter((e) => e.seq === last)).toHaveLength(1);
      expect(arrived().filter((n) => n.kind === 'duplicate').length).toBeGreaterThanOrEqual(1);
      expect(arrived().filter((n) => n.kind === 'conflict')).toEqual([]);
    } finally {
      await monitor.stop();
    }
  }, 90_000);

  it('the built `keywarden monitor` prints each event once (with --rabbitmq on RabbitMQ)', async () => {
    const flags = c.monitorTopics === 'dots-as-levels' ? ['--rabbitmq'] : [];
    const args = ['monitor', '--url', broker.url, '--json', '--watch-only', ...flags];
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout }).on('line', (line) =>
      lines.push(JSON.parse(line) as Record<string, unknown>),
    );
    const printed = () =>
      lines.flatMap((l) => (l.kind === 'event' ? [l.event as { seq: number; type: string }] : []));
    try {
      // Subscribed once it prints an event: one more every quarter second until then.
      let recordedAt = 0;
      await waitFor(
        () => {
          if (printed().length > 0) return true;
          if (Date.now() - recordedAt >= 250) {
            record(cabinet, 1, 'F00D');
            recordedAt = Date.now();
          }
          return false;
        },
        'the monitor printing an event',
        30_000,
      );
      const first = printed()[0]?.seq ?? 0;
      record(cabinet, 3, 'D00D');
      const last = cabinet.eventLog.lastSeq();
      await waitFor(() => printed().some((e) => e.seq === last), 'the last event printed', 30_000);
      expect(printed().map((e) => e.seq)).toEqual(
        Array.from({ length: last - first + 1 }, (_, i) => first + i),
      );
      expect(new Set(printed().map((e) => e.type))).toEqual(new Set(['key.unknown_fob']));
      expect(lines.filter((l) => l.kind === 'invalid' || l.kind === 'problem')).toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);

  it('keeps the retained status, and the broker publishes the last will when the link drops', async () => {
    const watcher = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    watchers.push(watcher);
    const statuses: Array<{ state: string; retain: boolean }> = [];
    watcher.on('message', (_topic, payload, packet) => {
      const { state } = JSON.parse(payload.toString()) as { state: string };
      statuses.push({ state, retain: packet.retain });
    });
    // The exact topic: RabbitMQ 3.10 sends retained messages only to a subscription without
    // wildcards.
    await watcher.subscribeAsync(`${BASE}/status`, { qos: 1 });
    await waitFor(() => statuses.length > 0, 'the retained status');
    expect(statuses[0]).toEqual({ state: 'online', retain: true });
    // The network goes: the socket closes without a DISCONNECT, so the broker sends the will.
    cabinet.mqtt.client.stream.destroy();
    await waitFor(() => statuses.some((s) => s.state === 'offline'), 'the last will');
    await waitFor(
      () => cabinet.mqtt.connected && statuses.at(-1)?.state === 'online',
      'the cabinet back online',
      30_000,
    );
  });

  it('answers a signed command on its default reply topic, without correlation data', async () => {
    const command = signer.sign('ping');
    // A central server on MQTT 5 still asks for a response topic: the cabinet on 3.1.1 never
    // sees it, and replies where docs/mqtt.md says replies go without one.
    const properties =
      c.centralProtocol === 5
        ? { responseTopic: `${BASE}/reply/central-1`, correlationData: Buffer.from('r-1') }
        : undefined;
    await inbox.client.publishAsync(`${BASE}/cmd/ping`, JSON.stringify(command), {
      qos: 1,
      ...(properties ? { properties } : {}),
    });
    await waitFor(
      () => inbox.replies.some((r) => r.payload.commandId === command.id),
      'the reply',
      30_000,
    );
    const reply = inbox.replies.find((r) => r.payload.commandId === command.id);
    expect(reply?.topic).toBe(`${BASE}/reply`);
    expect(reply?.payload).toMatchObject({ name: 'ping', status: 'ok' });
    expect(reply?.packet.properties?.correlationData).toBeUndefined();
  });

  it('acts on a retained command once, never again at a reconnect (3.1.1 has no retain handling)', async () => {
    // Someone with the right to publish on cmd/ leaves a signed command retained. Subscribers
    // present get it as a live message (not flagged retained), so the cabinet acts on it once,
    // like any command. Later, under MQTT 5, the cabinet's subscription (retain handling 2)
    // never receives it again; under 3.1.1 the broker sends it, flagged retained, at every
    // subscribe, and only the intake's own check keeps the cabinet from acting again.
    const command = signer.sign('ping');
    const replies = (): number =>
      inbox.replies.filter((r) => r.payload.commandId === command.id).length;
    await inbox.client.publishAsync(`${BASE}/cmd/ping`, JSON.stringify(command), {
      qos: 1,
      retain: true,
    });
    try {
      await waitFor(() => replies() === 1, 'the reply to the live delivery', 15_000);
      const ignoredBefore = ignoredRetained();
      cabinet.mqtt.client.stream.destroy(); // reconnect: the subscribe brings the retained copy
      if (c.retainedToWildcards) {
        await waitFor(() => ignoredRetained() > ignoredBefore, 'the retained copy ignored', 15_000);
      } else {
        // Nothing comes at the subscribe. A later command, answered, shows the cabinet back and
        // listening; the retained one has not been answered again meanwhile.
        await waitFor(() => cabinet.mqtt.connected, 'the cabinet back', 15_000);
        const later = signer.sign('ping');
        await inbox.client.publishAsync(`${BASE}/cmd/ping`, JSON.stringify(later), { qos: 1 });
        await waitFor(
          () => inbox.replies.some((r) => r.payload.commandId === later.id),
          'the reply to a later command',
          15_000,
        );
      }
      // Acted on once. QoS 1 is at least once both ways: the reply itself may arrive twice (the
      // cabinet sends it again if the link dropped before the broker's PUBACK), byte for byte
      // the same; and the broker sends the live command again if the link dropped before the
      // cabinet's PUBACK, which the counter refuses as replayed. Never a second "ok".
      const answers = inbox.replies.filter((r) => r.payload.commandId === command.id);
      const ok = answers.filter((r) => r.payload.status === 'ok');
      expect(new Set(ok.map((r) => JSON.stringify(r.payload))).size).toBe(1);
      for (const again of answers.filter((r) => r.payload.status !== 'ok'))
        expect(again.payload).toMatchObject({ status: 'rejected', reason: 'replayed' });
      const accepted = cabinet.eventLog
        .recent(100)
        .filter((e) => e.type === 'command.accepted' && 'commandId' in e.data)
        .filter((e) => (e.data as { commandId: string }).commandId === command.id);
      expect(accepted).toHaveLength(1);
    } finally {
      // An empty retained message clears it.
      await inbox.client.publishAsync(`${BASE}/cmd/ping`, '', { qos: 1, retain: true });
    }
  });

  function ignoredRetained(): number {
    return logLines.filter((l) => l.includes('retained message on a command topic ignored')).length;
  }
}
