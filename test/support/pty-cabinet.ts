import { readFileSync, writeFileSync } from 'node:fs';
import type { RecordedEvent } from '../../src/domain/events.js';
import { encodeRdm6300 } from '../../src/sim/reader-frames.js';
import { DaemonProcess, writeCabinetFiles } from './daemon-process.js';
import { freePort } from './ports.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';
import { recordedEvents } from './recorded-events.js';
import { seedCabinet } from './seed.js';
import { SimStream } from './sim-stream.js';

/** The seeded keys (test/support/seed.ts): tag by home slot. */
export const SEEDED_TAGS: Readonly<Record<number, string>> = { 1: 'A000000001', 2: 'A000000002' };

/**
 * The daemon (built CLI, child process) with its badge and fob readers on real socat pty
 * pairs, GPIO simulated, and no broker: the serial faults are about the reader side, and the
 * outbox simply holds the events. The simulator's stream shows every output switching on.
 */
export class PtyCabinet {
  stream!: SimStream;

  private constructor(
    readonly daemon: DaemonProcess,
    readonly badge: PtyPair,
    readonly fob: PtyPair,
    readonly database: string,
  ) {}

  /**
   * `seed` adds to the seeded cabinet (keys, grants) before the daemon starts; `config` sets
   * further top-level config sections (`lockout`, …).
   */
  static async start(
    options: {
      cabinetId?: string;
      readers?: Record<string, unknown>;
      config?: Record<string, unknown>;
      seed?: (database: string) => void;
    } = {},
  ): Promise<PtyCabinet> {
    const cabinetId = options.cabinetId ?? 'pty-fault-cab';
    const [badge, fob] = await Promise.all([openPtyPair(), openPtyPair()]);
    // Nothing listens there: the events wait in the outbox, which is not what these test.
    const files = writeCabinetFiles({
      cabinetId,
      brokerUrl: `mqtt://127.0.0.1:${await freePort()}`,
      badgePath: badge.devicePath,
      fobPath: fob.devicePath,
    });
    if (options.readers || options.config) {
      const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as {
        readers: Record<string, unknown>;
      };
      config.readers = { ...config.readers, ...options.readers };
      writeFileSync(files.configFile, JSON.stringify({ ...config, ...options.config }));
    }
    seedCabinet(files.database, cabinetId);
    options.seed?.(files.database);
    const cabinet = new PtyCabinet(new DaemonProcess(files.configFile), badge, fob, files.database);
    await cabinet.daemon.start();
    cabinet.stream = await SimStream.open(cabinet.daemon.simUrl());
    return cabinet;
  }

  /** What the fob reader reports when it comes online: each seeded key in its home slot. */
  async reportSeededFobs(): Promise<void> {
    const lines = Object.entries(SEEDED_TAGS).map(([slot, tag]) => `S0${slot}:${tag}\r\n`);
    await this.fob.writeToDevice(lines.join(''));
  }

  async presentCard(card: string): Promise<void> {
    await this.badge.writeToDevice(encodeRdm6300(card));
  }

  events(): RecordedEvent[] {
    return recordedEvents(this.database);
  }

  ofType(type: string): RecordedEvent[] {
    return this.events().filter((e) => e.type === type);
  }

  async stop(): Promise<void> {
    await this.stream?.close();
    await this.daemon.stop('SIGKILL');
    await Promise.all([this.badge.close(), this.fob.close()]);
  }
}
