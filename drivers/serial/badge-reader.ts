import { EventEmitter } from 'node:events';
import type { Transform } from 'node:stream';
import type { BadgeSource, BadgeSourceEvents } from '../badge-source.js';
import { DriverError } from '../errors.js';
import type { DriverLogger } from '../logger.js';
import { parseAsciiBadgeLine, type AsciiBadgeFormat } from './ascii-badge.js';
import { feedFreshParser } from './fresh-parser.js';
import type { Garbled } from './garbled.js';
import { GarbledLog } from './garbled-log.js';
import { isKeypadLine, parseKeypadLine } from './keypad-line.js';
import { LineReader } from './line-reader.js';
import { PresentationDebouncer } from './presentation-debouncer.js';
import { Rdm6300Parser, type Rdm6300Read } from './rdm6300-parser.js';
import type { ReaderPort } from './reader-port.js';

export type BadgeProtocol = 'rdm6300' | 'ascii-line';

export interface BadgeReaderOptions {
  port: ReaderPort;
  protocol: BadgeProtocol;
  /** Required for 'ascii-line': the number format cannot be guessed from the bytes. */
  lineFormat?: AsciiBadgeFormat;
  quietMs?: number;
  /** Monotonic clock in ms, for debouncing and log throttling. */
  now?: () => number;
  logger: DriverLogger;
}

export type { BadgeRead } from '../badge-source.js';

/** The badge source's events; a serial line never emits 'tampered'. */
export type BadgeReaderEvents = BadgeSourceEvents;

/**
 * A badge reader: bytes from its port become one `'badge'` per card presentation.
 *
 * Accepted risk, stated here because this is where 125 kHz cards enter: EM4100 IDs are
 * broadcast in clear and trivially cloned, so an RDM6300 read proves possession of the
 * number, not of the card.
 */
export class BadgeReader extends EventEmitter<BadgeReaderEvents> implements BadgeSource {
  private readonly port: ReaderPort;
  private readonly log: DriverLogger;
  private readonly debouncer: PresentationDebouncer;
  private readonly garbledLog: GarbledLog;

  constructor(options: BadgeReaderOptions) {
    super();
    const { port, protocol, lineFormat } = options;
    if (protocol === 'ascii-line' && lineFormat === undefined) {
      throw new DriverError(
        'INVALID_SETTING',
        `badge reader ${port.name}: protocol ascii-line needs lineFormat 'decimal' or 'hex'`,
      );
    }
    const now = options.now ?? (() => performance.now());
    this.port = port;
    this.log = options.logger.child({ reader: port.name });
    this.debouncer = new PresentationDebouncer({ quietMs: options.quietMs, now });
    this.garbledLog = new GarbledLog(this.log, now);
    feedFreshParser(port, () =>
      protocol === 'rdm6300' ? this.rdm6300Parser() : this.lineParser(lineFormat ?? 'decimal'),
    );
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

  private rdm6300Parser(): Transform {
    const parser = new Rdm6300Parser();
    parser.on('data', (read: Rdm6300Read) => this.sighted(read.card));
    return this.watch(parser);
  }

  private lineParser(format: AsciiBadgeFormat): Transform {
    const parser = new LineReader();
    parser.on('data', (line: string) => {
      if (isKeypadLine(line)) {
        const entry = parseKeypadLine(line);
        if (entry.ok) this.emit('keypad', entry.entry);
        else this.garbled(entry.reason);
        return;
      }
      const result = parseAsciiBadgeLine(line, format);
      if (result.ok) this.sighted(result.card);
      else this.garbled(result.reason);
    });
    return this.watch(parser);
  }

  private watch(parser: Transform): Transform {
    parser.on('garbled', (garbled: Garbled) => this.garbled(garbled.reason));
    // Our parsers never fail, but an unhandled 'error' would take the daemon down.
    parser.on('error', (err) => this.log.error({ err }, 'badge parser failed'));
    return parser;
  }

  private sighted(card: string): void {
    if (!this.debouncer.accept(card)) return;
    this.log.debug({ card }, 'badge presented');
    this.emit('badge', { card });
  }

  private garbled(reason: string): void {
    this.garbledLog.report(reason);
    this.emit('garbled', { reason });
  }
}
