import { EventEmitter } from 'node:events';
import type { DriverLogger } from '../logger.js';
import { parseFobLine } from './fob-line.js';
import { feedFreshParser } from './fresh-parser.js';
import type { Garbled, ReaderGarbled } from './garbled.js';
import { GarbledLog } from './garbled-log.js';
import { LineReader } from './line-reader.js';
import type { ReaderOffline, ReaderPort } from './reader-port.js';

export interface FobReaderOptions {
  port: ReaderPort;
  slotCount: number;
  logger: DriverLogger;
  /** Monotonic clock in ms, for log throttling. */
  now?: () => number;
}

/** A slot reading: the fob tag now in `slot`, or null when the slot reads empty. */
export interface FobRead {
  slot: number;
  tag: string | null;
}

export interface FobReaderEvents {
  fob: [read: FobRead];
  garbled: [info: ReaderGarbled];
  online: [];
  offline: [info: ReaderOffline];
}

/**
 * The cabinet's slot reader (wire format in fob-line.ts). It reports changes rather than
 * repeating, so every valid line is an event: no debouncing here.
 */
export class FobReader extends EventEmitter<FobReaderEvents> {
  private readonly port: ReaderPort;
  private readonly log: DriverLogger;
  private readonly garbledLog: GarbledLog;

  constructor(options: FobReaderOptions) {
    super();
    const { port, slotCount } = options;
    this.port = port;
    this.log = options.logger.child({ reader: port.name });
    this.garbledLog = new GarbledLog(this.log, options.now ?? (() => performance.now()));
    feedFreshParser(port, () => {
      const parser = new LineReader();
      parser.on('data', (line: string) => {
        const result = parseFobLine(line, slotCount);
        if (result.ok) this.read({ slot: result.slot, tag: result.tag });
        else this.garbled(result.reason);
      });
      parser.on('garbled', (garbled: Garbled) => this.garbled(garbled.reason));
      parser.on('error', (err) => this.log.error({ err }, 'fob parser failed'));
      return parser;
    });
    port.on('online', () => this.emit('online'));
    port.on('offline', (info) => this.emit('offline', info));
  }

  get isOnline(): boolean {
    return this.port.isOnline;
  }

  start(): void {
    this.port.start();
  }

  stop(): Promise<void> {
    return this.port.stop();
  }

  private read(read: FobRead): void {
    // Raw: the injected logger masks `tag` fields (drivers/logger.ts).
    this.log.debug({ slot: read.slot, tag: read.tag }, 'fob reading');
    this.emit('fob', read);
  }

  private garbled(reason: string): void {
    this.garbledLog.report(reason);
    this.emit('garbled', { reason });
  }
}
