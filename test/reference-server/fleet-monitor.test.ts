import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SimGpioDriver } from '../../drivers/gpio/sim-gpio.js';
import { loadProfile } from '../../src/config/profile.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { silentLogger } from '../../src/log/logger.js';
import { CommandSigner, readPrivateKey } from '../../src/reference-server/command-signer.js';
import { FleetMonitor, type MonitorNotice } from '../../src/reference-server/fleet-monitor.js';
import { hardwareDir } from '../../src/paths.js';
import { startMosquitto, type Broker } from '../support/mosquitto.js';
import { testConfig } from '../support/test-config.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The monitor library against a real Mosquitto and the real daemon (in process): it hands on
 * each event once and acknowledges, which moves the cabinet's acknowledged seq; when a message
 * is lost on the way (dropped here on purpose) it asks for a replay with a signed command, and
 * ends with every seq exactly once and an intact chain.
 */
const CABINET = 'monitor-cab';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

let broker: Broker;
let daemon: Daemon;
let monitor: FleetMonitor;
/** Watches the same fleet without a signing key and without acknowledging: it only reports. */
let silent: FleetMonitor;
const notices: MonitorNotice[] = [];
const silentNotices: MonitorNotice[] = [];
/** Seqs whose first arrival the monitors drop, as if lost between broker and monitor. */
const lose = new Set<number>();

function dropOnce(seen: Set<number>) {
  return (topic: string, payload: Buffer): boolean => {
    if (!topic.includes('/event/')) return true;
    const { seq } = JSON.parse(payload.toString()) as { seq: number };
    if (!lose.has(seq) || seen.has(seq)) return true;
    seen.add(seq);
    return false;
  };
}

beforeAll(async () => {
  broker = await startMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-monitor-'));
  const publicKey = readFileSync(join(FIXTURES, 'command-signing-test.pub.pem'), 'utf8');
  daemon = new Daemon({
    config: testConfig({
      cabinetId: CABINET,
      database: join(dir, 'cabinet.db'),
      mqtt: { url: broker.url, reconnectMs: 100 },
      sim: { host: '127.0.0.1', port: 0 },
      commands: { keys: [{ id: 'monitor-test', publicKey }] },
    }),
    profile: loadProfile('sim', hardwareDir()),
    logger: silentLogger(),
    gpio: new SimGpioDriver({ logger: silentLogger() }),
  });
  await daemon.start();
  // cabinet.started (seq 1) is out before any monitor listens: they join a running cabinet.
  await waitFor(() => daemon.mqtt.connected && daemon.eventLog.depth() === 0, 'seq 1 published');

  const timing = { ackDebounceMs: 100, gapTimeoutMs: 400, replayRetryMs: 5_000 };
  monitor = new FleetMonitor({
    url: broker.url,
    ...timing,
    signer: new CommandSigner({
      privateKey: readPrivateKey(join(FIXTURES, 'command-signing-test.key.pem')),
      keyId: 'monitor-test',
    }),
    accept: dropOnce(new Set()),
  });
  monitor.on('notice', (n) => notices.push(n));
  silent = new FleetMonitor({
    url: broker.url,
    ...timing,
    acknowledge: false,
    accept: dropOnce(new Set()),
  });
  silent.on('notice', (n) => silentNotices.push(n));
  await Promise.all([monitor.ready(), silent.ready()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([monitor?.stop(), silent?.stop()]);
  await daemon?.stop();
  await broker?.stop();
});

/** Records events at the cabinet the way custodian changes do, and wakes the outbox. */
function record(count: number): number {
  for (let i = 0; i < count; i++) {
    daemon.eventLog.append([{ type: 'key.unknown_fob', data: { slot: 12, tag: 'BEEF0042' } }]);
  }
  daemon.mqtt.publisher.notify();
  return daemon.eventLog.lastSeq();
}

const of = <K extends MonitorNotice['kind']>(list: MonitorNotice[], kind: K) =>
  list.filter((n): n is Extract<MonitorNotice, { kind: K }> => n.kind === kind);

/** Waits until the cabinet holds an acknowledgement of everything it recorded. */
async function allAcknowledged(what: string): Promise<number> {
  const last = () => daemon.eventLog.lastSeq();
  await waitFor(
    () => daemon.eventLog.ackedSeq() === last() && of(notices, 'ack').at(-1)?.seq === last(),
    `the cabinet to hold the acknowledgement ${what}`,
    15_000,
  );
  return last();
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

it('joins a running cabinet: asks for what it missed, hands on each event once, acknowledges', async () => {
  // The monitors subscribed after the daemon published cabinet.started (seq 1). The retained
  // status says nothing is acknowledged, so seq 1 is missing once seq 2 arrives.
  record(40);
  const last = await allAcknowledged('of the first burst');
  expect(monitor.tracker(CABINET)?.position).toBe(last);
  expect(of(notices, 'gap').map(({ from, to }) => [from, to])).toEqual([[1, 1]]);
  expect(of(notices, 'replay').map((r) => r.fromSeq)).toEqual([1]);
  const seqs = of(notices, 'event').map((n) => n.event.seq);
  expect([...seqs].sort((a, b) => a - b)).toEqual(oneToN(last));
  // One acknowledgement covers a burst; the last names the last seq.
  const acks = of(notices, 'ack');
  expect(acks.length).toBeLessThanOrEqual(5);
  expect(acks.at(-1)?.seq).toBe(last);
  expect(of(notices, 'invalid')).toEqual([]);
});

it('a lost message: the gap is reported, a signed replay fills it, every seq exactly once', async () => {
  const earlier = notices.length;
  const missing = daemon.eventLog.lastSeq() + 2;
  lose.add(missing);
  record(5);
  const last = await allAcknowledged('after the replay');
  const now = notices.slice(earlier);

  expect(of(now, 'gap').map(({ from, to }) => [from, to])).toEqual([[missing, missing]]);
  const replays = of(now, 'replay');
  expect(replays.map((r) => r.fromSeq)).toEqual([missing]);
  const reply = of(now, 'reply').find((r) => r.reply.commandId === replays[0]?.commandId);
  expect(reply?.reply).toMatchObject({
    name: 'replay',
    status: 'ok',
    result: { fromSeq: missing, complete: true },
  });

  const seqs = of(notices, 'event').map((n) => n.event.seq);
  expect([...seqs].sort((a, b) => a - b)).toEqual(oneToN(last));
  // The replay sent the events after the gap again: recognised by id, not handed on twice.
  expect(of(now, 'duplicate').length).toBeGreaterThan(0);
  expect(of(notices, 'chain')).toEqual([]);
  expect(of(notices, 'conflict')).toEqual([]);
  expect(of(notices, 'invalid')).toEqual([]);
  expect(of(notices, 'problem')).toEqual([]);
  // The replay's own record (command.accepted) is part of the sequence like any event.
  expect(of(now, 'event').map((n) => n.event.type)).toContain('command.accepted');
});

it('the chain it checked is the chain the cabinet recorded', () => {
  const handedOn = new Map<number, RecordedEvent>();
  for (const n of of(notices, 'event')) handedOn.set(n.event.seq, n.event);
  const recorded = daemon.eventLog.recent(10_000);
  expect(recorded.map((e) => e.hash)).toEqual(recorded.map((e) => handedOn.get(e.seq)?.hash));
});

it('without a signing key gaps are reported but nothing is asked for; watch-only never acknowledges', () => {
  expect(of(silentNotices, 'gap').length).toBe(2);
  expect(of(silentNotices, 'replay')).toEqual([]);
  expect(of(silentNotices, 'ack')).toEqual([]);
  // The other monitor's replay reached it too, so it holds everything as well.
  expect(silent.tracker(CABINET)?.position).toBe(daemon.eventLog.lastSeq());
});
