import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import {
  createOsdpBus,
  DEFAULT_POLL_INTERVAL_MS,
  OFFLINE_PROBE_EVERY_CYCLES,
  type OsdpBus,
  type SecureMode,
} from '../drivers/osdp/link/index.js';
import { SimulatedOsdpBus, SimulatedOsdpReader } from '../drivers/osdp/sim/index.js';
import { silentLogger } from '../src/log/logger.js';
import { openPtyPair, type PtyPair } from '../test/support/pty-pair.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { OsdpSimLine } from './osdp-sim-line.js';
import { OsdpWireLog, type WindowFigures } from './osdp-wire-log.js';
import { waitUntil } from './wait.js';

const SETTINGS = {
  addresses: [1, 2, 3, 4],
  baudRate: 115_200,
  /** Each measured window; a 50 ms cycle gives about 200 per reader in it. */
  windowMs: 10_000,
  /** After every reader is online, before the window: the first exchanges are the handshakes. */
  settleMs: 500,
  onlineTimeoutMs: 15_000,
  /** The dead reader must be announced offline by then (the specification's 8 s, and slack). */
  offlineTimeoutMs: 12_000,
} as const;

const KEY = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));

/**
 * The control panel's real bus (drivers/osdp/link/) polling four simulated readers on one socat
 * pty line, both ends through serialport: each reader's polls per second and period, the cycle,
 * plaintext and secured, and with one reader dead (README.md, "osdp-poll-cycle").
 */
export const osdpPollCycle: Benchmark = {
  name: 'osdp-poll-cycle',
  async run() {
    const plain = await withLine('off', async (line) => ({ live: await line.measure() }));
    const secured = await withLine('on', async (line) => {
      const live = await line.measure();
      // The last reader stops answering: one reply timeout a cycle until it is announced
      // offline, then a probe every tenth cycle.
      const deadAddress = SETTINGS.addresses.at(-1) ?? 0;
      const deadAt = line.log.now();
      line.reader(deadAddress).faults.dead = true;
      const offlineAt = await line.offline(deadAddress);
      const dying = line.log.window(deadAt, offlineAt, SETTINGS.addresses);
      const offline = await line.measure();
      return { live, dying, offline, offlineAfterMs: Math.round(offlineAt - deadAt) };
    });
    return result(plain.live, secured);
  },
};

/** One line: a pty pair, the bus on one end, four readers on the other. */
class PollLine {
  private readonly offlineAt = new Map<number, number>();
  private readonly onlineCount = { plain: 0, secured: 0 };

  private constructor(
    private readonly pair: PtyPair,
    private readonly port: SerialPort,
    private readonly sim: OsdpSimLine,
    private readonly readers: Map<number, SimulatedOsdpReader>,
    private readonly bus: OsdpBus,
    private readonly secure: SecureMode,
    readonly log: OsdpWireLog,
  ) {
    bus.on('online', ({ secured }) => {
      this.onlineCount[secured ? 'secured' : 'plain'] += 1;
    });
    bus.on('offline', ({ address }) => this.offlineAt.set(address, performance.now()));
  }

  static async open(secure: SecureMode): Promise<PollLine> {
    const pair = await openPtyPair();
    const readers = new Map(
      SETTINGS.addresses.map((address) => [
        address,
        new SimulatedOsdpReader({ address, baudRate: SETTINGS.baudRate, scbk: KEY }),
      ]),
    );
    const sim = await OsdpSimLine.open(
      pair.peerPath,
      SETTINGS.baudRate,
      new SimulatedOsdpBus(readers.values()),
    );
    const port = new SerialPort({
      path: pair.devicePath,
      baudRate: SETTINGS.baudRate,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    port.on('error', () => undefined);
    const log = new OsdpWireLog();
    const bus = createOsdpBus({
      readers: SETTINGS.addresses.map((address) => ({
        address,
        name: `r${address}`,
        secure,
        ...(secure === 'off' ? {} : { scbk: KEY }),
      })),
      write: log.recording((bytes) => {
        port.write(Buffer.from(bytes));
      }),
      logger: silentLogger(),
    });
    port.on('data', log.onData);
    port.on('data', (chunk: Buffer) => bus.receive(chunk));
    const line = new PollLine(pair, port, sim, readers, bus, secure, log);
    bus.start();
    await waitUntil(
      () => line.online() === SETTINGS.addresses.length,
      `all ${SETTINGS.addresses.length} readers online (${secure})`,
      SETTINGS.onlineTimeoutMs,
    );
    return line;
  }

  reader(address: number): SimulatedOsdpReader {
    const reader = this.readers.get(address);
    if (reader === undefined) throw new Error(`no reader at ${address}`);
    return reader;
  }

  /** The next window of SETTINGS.windowMs, after a short settling pause. */
  async measure(): Promise<WindowFigures> {
    await sleep(SETTINGS.settleMs);
    const from = this.log.now();
    await sleep(SETTINGS.windowMs);
    return this.log.window(from, this.log.now(), SETTINGS.addresses);
  }

  /** When the bus announced `address` offline (waits for it). */
  async offline(address: number): Promise<number> {
    await waitUntil(
      () => this.offlineAt.has(address),
      `reader ${address} offline`,
      SETTINGS.offlineTimeoutMs,
    );
    return this.offlineAt.get(address) ?? Number.NaN;
  }

  async close(): Promise<void> {
    this.bus.stop();
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
    await this.sim.close();
    await this.pair.close();
  }

  private online(): number {
    return this.secure === 'off' ? this.onlineCount.plain : this.onlineCount.secured;
  }
}

async function withLine<T>(secure: SecureMode, use: (line: PollLine) => Promise<T>): Promise<T> {
  const line = await PollLine.open(secure);
  try {
    return await use(line);
  } finally {
    await line.close();
  }
}

interface SecuredFigures {
  live: WindowFigures;
  dying: WindowFigures;
  offline: WindowFigures;
  offlineAfterMs: number;
}

function result(plain: WindowFigures, secured: SecuredFigures): BenchmarkResult {
  const windows: Array<[string, WindowFigures]> = [
    ['plaintext, 4 live', plain],
    ['secured, 4 live', secured.live],
    [`secured, r4 dead, before offline (${secured.offlineAfterMs} ms)`, secured.dying],
    ['secured, r4 dead and offline', secured.offline],
  ];
  // Every live reader must have been polled in every window; the dead one only in the last two.
  const starved = windows.flatMap(([name, w]) =>
    w.readers
      .filter((r) => r.commandsPerSecond === 0)
      .map((r) => `${name}: reader ${r.address} never polled`),
  );
  const unansweredLive = plain.unanswered + secured.live.unanswered;
  const failed = starved.length > 0 || unansweredLive > 0;
  const lines = [
    `the control panel's bus (drivers/osdp/link/) and ${SETTINGS.addresses.length} SimulatedOsdpReaders at ` +
      `addresses ${SETTINGS.addresses.join(', ')} on one socat pty line, both ends through serialport, ` +
      `${SETTINGS.baudRate} baud (a pty does not pace bytes at it); poll interval ${DEFAULT_POLL_INTERVAL_MS} ms, ` +
      `offline probe every ${OFFLINE_PROBE_EVERY_CYCLES} cycles; windows of ${SETTINGS.windowMs / 1000} s`,
    '',
    '(ms; cmd/s per reader r1 r2 r3 r4)',
    ...windows.map(
      ([name, w]) =>
        `${name.padEnd(46)} cycle p50 ${fmt(w.cycleP50)} p99 ${fmt(w.cycleP99)} max ${fmt(w.cycleMax)}  ` +
        `cmd/s ${w.readers.map((r) => String(r.commandsPerSecond).padStart(5)).join(' ')}  ` +
        `exchange p50 ${fmt(w.exchangeP50)} p99 ${fmt(w.exchangeP99)}  unanswered ${w.unanswered}`,
    ),
    ...windows.map(
      ([name, w]) =>
        `${name.padEnd(46)} period p50/p99 per reader: ` +
        w.readers.map((r) => `r${r.address} ${r.periodP50}/${r.periodP99}`).join(', '),
    ),
    `failures: ${starved.length === 0 ? 'none starved' : starved.join('; ')}; ` +
      `unanswered commands with every reader live: ${unansweredLive}`,
    'GOAL: none (issue 13 asks for the figure; docs/osdp.md expects ~150 polls of a live reader in 10 s beside an offline one)',
  ];
  return {
    lines,
    failed,
    data: { settings: SETTINGS, plain, secured },
  };
}

function fmt(ms: number): string {
  return ms.toFixed(3).padStart(8);
}
