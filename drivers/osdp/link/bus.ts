import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DriverLogger } from '../../logger.js';
import { encodeCommand, type Command } from '../commands.js';
import { FrameDecoder } from '../frame-decoder.js';
import { BROADCAST_ADDRESS } from '../frame.js';
import { isOsdpError, OsdpError } from '../osdp-error.js';
import type { Reply } from '../replies.js';
import type {
  BusClock,
  OsdpBus,
  OsdpBusEvents,
  OsdpBusOptions,
  OsdpReaderSpec,
} from './bus-api.js';
import { systemBusClock } from './bus-clock.js';
import { answers, type Exchange } from './exchange.js';
import { ReaderLink, type EmitBusEvent } from './reader-link.js';

/**
 * The control panel's bus: polls every reader in turn over one half-duplex line, one command
 * outstanding at a time. docs/osdp.md ("The bus") gives the timing and the rules; in short:
 *
 * - A cycle gives each reader one turn (one command: a poll, a setup step, or a caller's
 *   command), then the next cycle starts `pollIntervalMs` after this one started (sooner is
 *   never needed; later when the turns took longer).
 * - A turn ends with a valid reply or the reply timeout: a reader that does not answer costs
 *   the others one timeout per cycle, and once it is announced offline only one every
 *   {@link OFFLINE_PROBE_EVERY_CYCLES} cycles.
 * - A reader is offline after `offlineAfterMs` without a usable reply, and online again only
 *   once it answers and, when its mode is secured, its session is established.
 */

/** A reader announced offline is probed (ID, sequence 0) once every this many cycles. */
export const OFFLINE_PROBE_EVERY_CYCLES = 10;
/** Each reader is polled at most this often: libosdp's control panel polls every 50 ms too. */
export const DEFAULT_POLL_INTERVAL_MS = 50;
export const DEFAULT_REPLY_TIMEOUT_MS = 200;
export const DEFAULT_OFFLINE_AFTER_MS = 8000;

/** Commands the bus itself sends: a caller asking for them would break its state machine. */
const BUS_OWN_COMMANDS = new Set<Command['kind']>(['POLL', 'KEYSET', 'CHLNG', 'SCRYPT']);

export function createOsdpBus(options: OsdpBusOptions): OsdpBus {
  return new Bus(options);
}

interface Outstanding {
  link: ReaderLink;
  exchange: Exchange;
  timer: unknown;
}

class Bus extends EventEmitter<OsdpBusEvents> implements OsdpBus {
  private readonly clock: BusClock;
  private readonly log: DriverLogger;
  private readonly random: (length: number) => Uint8Array;
  private readonly replyTimeoutMs: number;
  private readonly offlineAfterMs: number;
  private readonly pollIntervalMs: number;
  private readonly write: (bytes: Uint8Array) => void;
  private readonly links: ReaderLink[];
  private readonly byAddress = new Map<number, ReaderLink>();
  private readonly decoder = new FrameDecoder();

  private running = false;
  private portUp = true;
  private outstanding: Outstanding | undefined;
  private cycle = 0;
  private cycleStartedAt = 0;
  private turn = 0;
  private cycleTimer: unknown;

  constructor(options: OsdpBusOptions) {
    super();
    checkReaders(options.readers);
    this.clock = options.clock ?? systemBusClock;
    this.log = options.logger.child({ bus: 'osdp' });
    this.random = options.random ?? ((length) => randomBytes(length));
    this.replyTimeoutMs = positive(
      'replyTimeoutMs',
      options.replyTimeoutMs,
      DEFAULT_REPLY_TIMEOUT_MS,
    );
    this.offlineAfterMs = positive(
      'offlineAfterMs',
      options.offlineAfterMs,
      DEFAULT_OFFLINE_AFTER_MS,
    );
    this.pollIntervalMs = positive(
      'pollIntervalMs',
      options.pollIntervalMs,
      DEFAULT_POLL_INTERVAL_MS,
    );
    this.write = (bytes) => options.write(bytes);
    const emit: EmitBusEvent = (event, ...args) => this.emitSafely(event, ...args);
    const context = {
      emit,
      log: this.log,
      random: (length: number) => this.random(length),
      now: () => this.clock.now(),
      moved: (link: ReaderLink, from: number, to: number, baudRate: number) =>
        this.moved(link, from, to, baudRate),
    };
    this.links = options.readers.map((spec) => new ReaderLink(spec, context));
    for (const link of this.links) this.byAddress.set(link.address, link);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.now();
    for (const link of this.links) link.begin(now);
    this.log.info({ readers: this.links.length }, 'OSDP bus started');
    if (this.portUp) this.startCycle();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.cancelOutstanding();
    this.cancelCycle();
    for (const link of this.links) link.abort('the OSDP bus stopped');
    this.decoder.reset();
    this.log.info('OSDP bus stopped');
  }

  receive(bytes: Uint8Array): void {
    if (!this.running) return;
    for (const output of this.decoder.push(bytes)) {
      // A listener may have stopped the bus while the previous frame was handled.
      if (!this.running) return;
      if (output.kind === 'error') {
        this.garbled(output.error.message, output.error.details.address);
        continue;
      }
      const frame = output.frame;
      const verdict = answers(frame, this.outstanding?.exchange);
      if (verdict !== true) {
        this.garbled(verdict, frame.address);
        continue;
      }
      const { link, exchange } = this.takeOutstanding();
      link.answer(frame, exchange, this.clock.now());
      this.nextTurn();
    }
  }

  portOffline(reason: string): void {
    this.portUp = false;
    this.cancelOutstanding();
    this.cancelCycle();
    this.decoder.reset();
    const now = this.clock.now();
    for (const link of this.links) link.goOffline(`serial port: ${reason}`, now);
  }

  portOnline(): void {
    // Already up (the port's first 'online' after start): nothing to start over.
    if (this.portUp) return;
    this.portUp = true;
    const now = this.clock.now();
    for (const link of this.links) link.begin(now);
    if (this.running && this.outstanding === undefined && this.cycleTimer === undefined) {
      this.startCycle();
    }
  }

  send(address: number, command: Command): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const refusal = this.refuse(address, command);
      if (refusal !== undefined) return reject(refusal);
      this.byAddress.get(address)?.sends.add({ command, resolve, reject });
    });
  }

  isOnline(address: number): boolean {
    return this.byAddress.get(address)?.online ?? false;
  }

  private refuse(address: number, command: Command): OsdpError | undefined {
    const link = this.byAddress.get(address);
    if (link === undefined) {
      return new OsdpError('INVALID_ARGUMENT', `no reader at address ${address} on this bus`, {
        address,
      });
    }
    if (BUS_OWN_COMMANDS.has(command.kind)) {
      return new OsdpError(
        'INVALID_ARGUMENT',
        `${command.kind} is the bus's own: it is never sent on a caller's request`,
        { address, field: 'command' },
      );
    }
    try {
      encodeCommand(command);
    } catch (err) {
      if (isOsdpError(err)) return err;
      throw err;
    }
    if (command.kind === 'COMSET' && command.address !== address) {
      if (this.byAddress.has(command.address) || command.address === BROADCAST_ADDRESS) {
        return new OsdpError(
          'INVALID_ARGUMENT',
          `COMSET to address ${command.address}: another reader on this bus has it`,
          { address, field: 'address' },
        );
      }
    }
    if (!this.running) {
      return new OsdpError('BUS_STOPPED', 'the OSDP bus is not running', { address });
    }
    if (!link.online) {
      return new OsdpError(
        'READER_OFFLINE',
        `reader ${link.spec.name} (address ${address}) is offline`,
        {
          address,
        },
      );
    }
    return undefined;
  }

  private startCycle(): void {
    this.cycleTimer = undefined;
    if (!this.running || !this.portUp) return;
    this.cycle += 1;
    this.cycleStartedAt = this.clock.now();
    for (const link of this.links) this.checkOffline(link);
    this.turn = 0;
    this.nextTurn();
  }

  private nextTurn(): void {
    if (!this.running || !this.portUp || this.outstanding !== undefined) return;
    const now = this.clock.now();
    while (this.turn < this.links.length) {
      const link = this.links[this.turn];
      this.turn += 1;
      if (link === undefined || !link.takesTurn(this.cycle, OFFLINE_PROBE_EVERY_CYCLES)) continue;
      const exchange = link.next(now);
      if (exchange === undefined) continue;
      this.transmit(link, exchange);
      return;
    }
    const wait = Math.max(0, this.cycleStartedAt + this.pollIntervalMs - now);
    this.cycleTimer = this.clock.setTimeout(() => this.startCycle(), wait);
  }

  private transmit(link: ReaderLink, exchange: Exchange): void {
    // Half duplex: nothing half received before we talk can be the answer to what we send.
    this.dropHeld();
    const timer = this.clock.setTimeout(() => this.timedOut(), this.replyTimeoutMs);
    this.outstanding = { link, exchange, timer };
    try {
      this.write(exchange.bytes);
    } catch (err) {
      // Treated as a lost reply: the timeout and the resends deal with it.
      this.log.warn({ err }, 'OSDP write failed');
    }
  }

  private timedOut(): void {
    const outstanding = this.outstanding;
    if (outstanding === undefined) return;
    this.outstanding = undefined;
    this.dropHeld();
    const now = this.clock.now();
    outstanding.link.timedOut(outstanding.exchange, now);
    this.checkOffline(outstanding.link);
    this.nextTurn();
  }

  private checkOffline(link: ReaderLink): void {
    const now = this.clock.now();
    if (link.offlineAnnounced || now - link.lastUsableAt < this.offlineAfterMs) return;
    link.goOffline(`no valid reply for ${this.offlineAfterMs} ms`, now);
  }

  private takeOutstanding(): Outstanding {
    const outstanding = this.outstanding as Outstanding;
    this.clock.clearTimeout(outstanding.timer);
    this.outstanding = undefined;
    return outstanding;
  }

  private cancelOutstanding(): void {
    if (this.outstanding === undefined) return;
    this.clock.clearTimeout(this.outstanding.timer);
    this.outstanding = undefined;
  }

  private cancelCycle(): void {
    if (this.cycleTimer === undefined) return;
    this.clock.clearTimeout(this.cycleTimer);
    this.cycleTimer = undefined;
  }

  private dropHeld(): void {
    for (const error of this.decoder.reset()) this.garbled(error.message, error.details.address);
  }

  private moved(link: ReaderLink, from: number, to: number, baudRate: number): void {
    if (this.byAddress.get(from) === link) this.byAddress.delete(from);
    this.byAddress.set(to, link);
    this.emitSafely('readdressed', { from, to, baudRate });
  }

  private garbled(reason: string, address: number | undefined): void {
    this.log.debug({ address, reason }, 'OSDP bytes not used');
    this.emitSafely('garbled', address === undefined ? { reason } : { address, reason });
  }

  /**
   * A listener that throws must not leave the bus half way through a reply (its state is
   * already updated when events go out): the error is logged, the bus goes on.
   */
  private emitSafely<K extends keyof OsdpBusEvents>(event: K, ...args: OsdpBusEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: OsdpBusEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ err, event }, 'an OSDP bus listener threw');
    }
  }
}

function checkReaders(readers: readonly OsdpReaderSpec[]): void {
  const seen = new Set<number>();
  for (const [index, reader] of readers.entries()) {
    const field = `readers[${index}]`;
    const bad = (why: string): never => {
      throw new OsdpError('INVALID_ARGUMENT', `${field} (${reader.name}): ${why}`, { field });
    };
    if (
      !Number.isInteger(reader.address) ||
      reader.address < 0 ||
      reader.address >= BROADCAST_ADDRESS
    ) {
      bad('address must be 0-126');
    }
    if (seen.has(reader.address)) bad(`address ${reader.address} is used twice`);
    seen.add(reader.address);
    if (reader.secure !== 'off' && reader.scbk?.length !== 16) {
      bad(`secure '${reader.secure}' needs a 16-byte scbk`);
    }
  }
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new OsdpError('INVALID_ARGUMENT', `${field} must be a positive number of ms`, { field });
  }
  return value;
}
