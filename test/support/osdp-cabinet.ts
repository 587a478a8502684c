import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { SimulatedOsdpBus, SimulatedOsdpReader } from '../../drivers/osdp/sim/index.js';
import { CustodianApp } from '../../src/app/custodian-app.js';
import type { RecordedEvent } from '../../src/domain/events.js';
import { systemClock } from '../../src/platform/system-clock.js';
import { openDatabase } from '../../src/store/database.js';
import { EventLog } from '../../src/store/event-log.js';
import { DaemonProcess, writeCabinetFiles } from './daemon-process.js';
import { freePort } from './ports.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';
import { recordedEvents } from './recorded-events.js';
import { seedCabinet } from './seed.js';
import { SimStream } from './sim-stream.js';

/** The cabinet's Secure Channel base key, as its key file holds it. */
export const CABINET_KEY_HEX = '00112233445566778899aabbccddeeff';
export const CABINET_KEY = Uint8Array.from(Buffer.from(CABINET_KEY_HEX, 'hex'));

/** Bob's card: H10301 facility 12, card 34567 is the card string `01234567`; slot 3 is his. */
export const BOB_CARD = { format: 'H10301', facility: 12, card: 34567 } as const;
export const BOB_CARD_NUMBER = '01234567';
export const BOB_SLOT = 3;

/** One reader on the simulated line: its address, the profile's name for it, its key. */
export interface OsdpReaderSetup {
  address: number;
  name: string;
  role: 'badge' | 'polled';
  /** Its base key at start; absent: the factory default key (SCBK-D). */
  scbk?: Uint8Array;
}

const BAUD_RATE = 115_200;

/**
 * The built daemon as a process whose badge reader is an OSDP bus on one end of a socat pty
 * pair, and the PD simulator (SimulatedOsdpBus, its readers) on the other end through the real
 * serialport package: everything but the reader hardware is what runs on a cabinet. The fob
 * reader is a plain pty as in PtyCabinet; GPIO is simulated and its stream shows the solenoids.
 */
export class OsdpCabinet {
  stream!: SimStream;
  private simPort: SerialPort | undefined;
  private detach: (() => void) | undefined;

  private constructor(
    readonly daemon: DaemonProcess,
    readonly line: PtyPair,
    readonly fob: PtyPair,
    readonly bus: SimulatedOsdpBus,
    readonly readers: Map<string, SimulatedOsdpReader>,
    readonly database: string,
  ) {}

  static async start(
    options: {
      secure?: 'on' | 'install' | 'off';
      readers?: OsdpReaderSetup[];
      /** Waits for the bus to report a reader online (secured when the bus is) (default true). */
      waitOnline?: boolean;
    } = {},
  ): Promise<OsdpCabinet> {
    const cabinetId = 'osdp-cab';
    const setups = options.readers ?? [
      { address: 1, name: 'front', role: 'badge', scbk: CABINET_KEY },
    ];
    const [line, fob] = await Promise.all([openPtyPair(), openPtyPair()]);
    const files = writeCabinetFiles({
      cabinetId,
      // Nothing listens there: the events wait in the outbox, where the tests read them.
      brokerUrl: `mqtt://127.0.0.1:${await freePort()}`,
      badgePath: line.devicePath,
      fobPath: fob.devicePath,
      badgeQuietMs: 0,
    });
    const keyFile = join(files.dir, 'osdp-key');
    writeFileSync(keyFile, `${CABINET_KEY_HEX}\n`, { mode: 0o600 });
    const profileFile = join(files.dir, 'profile.json');
    const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as {
      readers: { badge: Record<string, unknown> };
    };
    profile.readers.badge = {
      path: line.devicePath,
      baudRate: BAUD_RATE,
      protocol: 'osdp',
      osdp: {
        readers: setups.map(({ address, name, role }) => ({ address, name, role })),
        cardFormats: ['H10301', 'H10304'],
        secure: options.secure ?? 'on',
        feedback: 'both',
      },
    };
    writeFileSync(profileFile, JSON.stringify(profile, null, 2));
    const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as {
      readers: Record<string, unknown>;
    };
    config.readers = { ...config.readers, osdpKeyFile: keyFile };
    writeFileSync(files.configFile, JSON.stringify(config, null, 2));

    seedCabinet(files.database, cabinetId);
    seedBob(files.database, cabinetId);

    const readers = new Map(
      setups.map((s) => [
        s.name,
        new SimulatedOsdpReader({
          address: s.address,
          baudRate: BAUD_RATE,
          ...(s.scbk ? { scbk: s.scbk } : {}),
        }),
      ]),
    );
    const bus = new SimulatedOsdpBus(readers.values());
    const daemon = new DaemonProcess(files.configFile);
    const cabinet = new OsdpCabinet(daemon, line, fob, bus, readers, files.database);
    await cabinet.plugSimulator();
    await daemon.start();
    cabinet.stream = await SimStream.open(daemon.simUrl());
    if (options.waitOnline !== false) {
      await daemon.waitForLog((l) => l.msg === 'OSDP reader online', 15_000);
    }
    return cabinet;
  }

  reader(name = 'front'): SimulatedOsdpReader {
    const reader = this.readers.get(name);
    if (!reader) throw new Error(`no simulated reader named ${name}`);
    return reader;
  }

  /** Cuts the line: socat killed, the daemon's device vanishes, the simulator's port closes. */
  async unplug(): Promise<void> {
    await this.unplugSimulator();
    await this.line.kill();
  }

  /** The line back: socat again on the same paths, the simulator on its end again. */
  async replug(): Promise<void> {
    await this.line.restart();
    await this.plugSimulator();
  }

  events(): RecordedEvent[] {
    return recordedEvents(this.database);
  }

  ofType(type: string): RecordedEvent[] {
    return this.events().filter((e) => e.type === type);
  }

  /** The `reader.*` events (`reader.offline`, `.online`, `.tampered`) about one reader. */
  readerEvents(type: string, reader = 'badge'): Array<{ reader: string; reason?: string }> {
    return this.ofType(type)
      .map((e) => e.data as { reader: string; reason?: string })
      .filter((data) => data.reader === reader);
  }

  async stop(): Promise<void> {
    await this.stream?.close();
    await this.daemon.stop('SIGKILL');
    await this.unplugSimulator();
    await Promise.all([this.line.close(), this.fob.close()]);
  }

  private async plugSimulator(): Promise<void> {
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const opened = new SerialPort({
        path: this.line.peerPath,
        baudRate: BAUD_RATE,
        autoOpen: false,
      });
      opened.open((err) => (err ? reject(err) : resolve(opened)));
    });
    // A pty closing under it is an unplug, not a crash of the test.
    port.on('error', () => undefined);
    this.simPort = port;
    this.detach = this.bus.attachToPort(port);
  }

  private async unplugSimulator(): Promise<void> {
    this.detach?.();
    this.detach = undefined;
    const port = this.simPort;
    this.simPort = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

/** Bob holds the H10301 card 01234567 and may take slot 3, where key K-3 lives. */
function seedBob(database: string, cabinetId: string): void {
  const db = openDatabase(database);
  try {
    const app = CustodianApp.open(db, new EventLog(db, cabinetId, systemClock), {
      kind: 'custodian',
      account: 'test',
    });
    const bob = app.holders.add('Bob');
    app.credentials.add(bob, BOB_CARD_NUMBER);
    app.keys.add('A000000003', BOB_SLOT, 'K-3');
    app.permissions.grant(bob, BOB_SLOT);
  } finally {
    db.close();
  }
}
