import { EventEmitter } from 'node:events';
import type { BadgeSource, BadgeSourceEvents } from '../../badge-source.js';
import type { DriverLogger } from '../../logger.js';
import { GarbledLog } from '../../serial/garbled-log.js';
import type { KeypadEntry } from '../../serial/keypad-line.js';
import { PresentationDebouncer } from '../../serial/presentation-debouncer.js';
import type { OsdpBus } from '../link/bus-api.js';
import { cardNumberOf, type OsdpCardFormat } from '../osdp-card-number.js';
import type { RawCardRead } from '../replies.js';

export interface OsdpBadgeReaderOptions {
  bus: OsdpBus;
  /** The bus address of the cabinet's badge reader. */
  address: number;
  /** Every reader on the bus by address, for logs ("front", "bench"). */
  names: ReadonlyMap<number, string>;
  cardFormats: readonly OsdpCardFormat[];
  /** The same card again within this long is the same presentation (config readers.badgeQuietMs). */
  quietMs?: number;
  /** Monotonic clock in ms. */
  now?: () => number;
  logger: DriverLogger;
}

/** The longest PIN a keypad entry may carry (keypad-line.ts's rule, kept for OSDP keypads). */
const MAX_PIN_DIGITS = 12;
/**
 * Keys typed more than this long after the previous one start a new entry: a half-typed PIN
 * left on the keypad must not become the start of the next person's.
 */
export const KEY_GAP_MS = 10_000;

/**
 * The cabinet's badge reader on an OSDP bus, as the cabinet sees every badge reader
 * (BadgeSource): the bus's card reads for this reader's address become one `'badge'` per
 * presentation with the card string the profile's card formats make (osdp-card-number.ts), its
 * keys become keypad entries, and its tamper switch and Secure Channel failures `'tampered'`.
 * A read that does not decode (a bad parity, a bit count no format has) is `'garbled'` with why,
 * never a badge. Other readers on the bus (role "polled") are only logged: their cards and keys
 * never reach the cabinet.
 */
export class OsdpBadgeReader extends EventEmitter<BadgeSourceEvents> implements BadgeSource {
  private readonly bus: OsdpBus;
  private readonly address: number;
  private readonly names: ReadonlyMap<number, string>;
  private readonly formats: readonly OsdpCardFormat[];
  private readonly now: () => number;
  private readonly log: DriverLogger;
  private readonly debouncer: PresentationDebouncer;
  private readonly garbledLog: GarbledLog;
  /** Keys typed so far (digits only), and when the last one came. */
  private keys = '';
  private lastKeyAt = 0;
  private tamperActive = false;

  constructor(options: OsdpBadgeReaderOptions) {
    super();
    this.bus = options.bus;
    this.address = options.address;
    this.names = options.names;
    this.formats = options.cardFormats;
    this.now = options.now ?? (() => performance.now());
    this.log = options.logger.child({ reader: this.nameOf(options.address) });
    this.debouncer = new PresentationDebouncer({ quietMs: options.quietMs, now: this.now });
    this.garbledLog = new GarbledLog(this.log, this.now);
    const bus = this.bus;
    bus.on('card', ({ address, read }) => this.card(address, read));
    bus.on('keypad', ({ address, keys }) => this.keypad(address, keys));
    bus.on('online', ({ address, secured }) => {
      if (address !== this.address) return this.other(address, 'online', { secured });
      this.log.info({ address, secured }, 'OSDP reader online');
      this.emit('online');
    });
    bus.on('offline', ({ address, reason }) => {
      if (address !== this.address) return this.other(address, 'offline', { reason });
      this.keys = '';
      this.emit('offline', { reason });
    });
    bus.on('status', ({ address, tamper, powerFailure }) => {
      if (powerFailure)
        this.log.warn({ reader: this.nameOf(address) }, 'OSDP reader power failure');
      if (address !== this.address) return this.other(address, 'status', { tamper });
      if (tamper === this.tamperActive) return;
      this.tamperActive = tamper;
      this.emit('tampered', { active: tamper, reason: 'tamper switch' });
    });
    bus.on('tampered', ({ address, reason }) => {
      // The bus refused the frame and re-establishes the session; the alarm is ours to raise.
      this.log.warn({ reader: this.nameOf(address), reason }, 'OSDP Secure Channel broken');
      if (address !== this.address) return;
      this.emit('tampered', { active: true, reason: `secure channel: ${reason}` });
    });
    bus.on('keyed', ({ address }) =>
      this.log.info({ reader: this.nameOf(address) }, "OSDP reader moved to the cabinet's key"),
    );
    bus.on('garbled', ({ address, reason }) => {
      if (address !== undefined && address !== this.address) return;
      this.garbled(reason);
    });
  }

  get isOnline(): boolean {
    return this.bus.isOnline(this.address);
  }

  private card(address: number, read: RawCardRead): void {
    if (address !== this.address) {
      // Never decided, never logged with its number: a polled reader's cards are not the cabinet's.
      this.log.warn({ reader: this.nameOf(address) }, 'card on a polled OSDP reader ignored');
      return;
    }
    const number = cardNumberOf(read, this.formats);
    if (!number.ok) return this.garbled(number.reason);
    this.keys = '';
    if (!this.debouncer.accept(number.card)) return;
    this.log.debug({ card: number.card }, 'badge presented');
    this.emit('badge', { card: number.card });
  }

  /**
   * OSDP readers send keys as they are pressed, often one per reply: digits gather until '#'
   * (a PIN) or '*' (cancel), as the keypad line format has them in one line.
   */
  private keypad(address: number, keys: string): void {
    if (address !== this.address) {
      this.log.warn({ reader: this.nameOf(address) }, 'keys on a polled OSDP reader ignored');
      return;
    }
    const at = this.now();
    if (this.keys !== '' && at - this.lastKeyAt > KEY_GAP_MS) this.keys = '';
    this.lastKeyAt = at;
    for (const key of keys) {
      const entry = this.key(key);
      if (entry !== undefined) this.emit('keypad', entry);
    }
  }

  private key(key: string): KeypadEntry | undefined {
    if (key >= '0' && key <= '9') {
      if (this.keys.length >= MAX_PIN_DIGITS) {
        this.keys = '';
        this.garbled(`keypad: more than ${MAX_PIN_DIGITS} digits before #; the entry was dropped`);
        return undefined;
      }
      this.keys += key;
      return undefined;
    }
    if (key === '*') {
      this.keys = '';
      return { kind: 'cancel' };
    }
    if (key === '#') {
      const digits = this.keys;
      this.keys = '';
      if (digits === '') {
        this.garbled('keypad: # with no digits before it');
        return undefined;
      }
      return { kind: 'pin', digits };
    }
    // Function keys (A-H) mean nothing to the cabinet: ignored, the digits so far kept.
    this.garbled(`keypad: function key ${key} ignored`);
    return undefined;
  }

  private other(address: number, what: string, details: Record<string, unknown>): void {
    this.log.info(
      { reader: this.nameOf(address), address, ...details },
      `polled OSDP reader ${what}`,
    );
  }

  private garbled(reason: string): void {
    this.garbledLog.report(reason);
    this.emit('garbled', { reason });
  }

  private nameOf(address: number): string {
    return this.names.get(address) ?? `osdp-${address}`;
  }
}
