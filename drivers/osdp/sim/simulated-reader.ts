import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ReaderHandshake, type HandshakeBody } from '../channel-handshake.js';
import { SecurityBlockType } from '../codes.js';
import { decodeCommand, OSDP_BAUD_RATES, type Command } from '../commands.js';
import {
  BROADCAST_ADDRESS,
  encodeFrame,
  nextSequence,
  type Frame,
  type Sequence,
} from '../frame.js';
import { FrameDecoder } from '../frame-decoder.js';
import { OsdpError } from '../osdp-error.js';
import { readCommand } from '../read-frame.js';
import {
  encodeReply,
  nakReason,
  RawFormat,
  type ReaderIdentity,
  type Reply,
  type ReplyBody,
} from '../replies.js';
import { sameBytes, SCBK_D } from '../secure-channel.js';
import type { SecureSession } from '../secure-session.js';
import { encodeCard, packBits, WIEGAND_FORMATS, type WiegandFormat } from '../wiegand.js';
import { NakCode, nakCodeFor } from './command-refusal.js';
import {
  ReaderIndicators,
  type BuzzerView,
  type LedView,
  type TextView,
} from './reader-indicators.js';
import {
  capabilitiesOf,
  clientUidOf,
  defaultIdentity,
  RECEIVE_BUFFER_SIZE,
} from './reader-profile.js';
import {
  DEFAULT_GARBAGE,
  noOneShotFaults,
  withAddress,
  withCorruptMac,
  type LastingFaults,
  type OneShotFaults,
} from './reply-faults.js';
import { systemClock, type SimClock } from './sim-clock.js';

/**
 * One simulated OSDP reader (a PD): bytes from the bus in, reply bytes out (`transmit`), as
 * OSDP v2.2 has a reader behave, so Keywarden's control panel can be tested without hardware
 * and `npm start` can run a cabinet over OSDP.
 *
 * - It answers frames for its address, and for the broadcast address 0x7F (from 0x7F, as the
 *   specification says), never a reply frame (another reader's, on a multi-drop bus); frames
 *   whose CRC or checksum fails get no answer (the address in them cannot be trusted). The
 *   reply uses the command's check mode and starts with the 0xFF mark.
 * - Sequence numbers: 0 restarts the conversation (and ends any secure session); the number of
 *   the last command again, with the same bytes, gets the last reply again, unchanged (the
 *   control panel lost it); any other number than the next is refused (NAK 4).
 * - Secure Channel as the reader's side of annex D: CHLNG → CCRYPT, SCRYPT → RMAC_I, then every
 *   command MAC-checked and decrypted, every reply MAC'd and encrypted. What breaks the session
 *   (a bad MAC, a plaintext command inside it, a secured command outside one) ends it, answered
 *   by a plaintext NAK 6 (communication security conditions not met), so the control panel
 *   knows to start again. KEYSET only inside a session (libosdp #106: real readers refuse it
 *   otherwise); the new key is for the next session, and SCBK-D is no longer accepted.
 * - POLL answers the oldest waiting event (a card read, keys typed, a tamper or power change),
 *   one per poll, or ACK.
 *
 * It is driven by `receive` (the bus's bytes) and by what a person does at it (`presentCard`,
 * `typeKeys`, `setTamper`, `powerOff`…); `faults` and the `*Next*` methods make it misbehave.
 */
export interface SimulatedReaderOptions {
  /** 0x00-0x7E. */
  address: number;
  /** The speed it listens at (default 9600); COMSET changes it. */
  baudRate?: number;
  /**
   * Its Secure Channel base key. Absent, or SCBK-D itself: the factory state, install mode,
   * where only the published default key SCBK-D opens a session.
   */
  scbk?: Uint8Array;
  /** Whether it speaks Secure Channel at all (default true). */
  secureChannel?: boolean;
  /** The 8 bytes of its CCRYPT (default: from its vendor code, model and serial number). */
  clientUid?: Uint8Array;
  identity?: Partial<ReaderIdentity>;
  /** Contact inputs (default 0), outputs (default 1), LEDs (default 1). */
  inputs?: number;
  outputs?: number;
  leds?: number;
  /** Random bytes for RND.B (default node:crypto's). */
  random?: (length: number) => Uint8Array;
  clock?: SimClock;
}

export interface SimulatedReaderEvents {
  /** Bytes the reader puts on the bus. */
  transmit: [bytes: Buffer];
  /** COMSET answered: from now on it answers at `address` and listens at `baudRate`. */
  comset: [settings: { address: number; baudRate: number }];
  /** An LED, the buzzer, the text or an output changed (for a simulator's view). */
  indicators: [];
  /** KEYSET accepted: the reader holds a new base key from the next session on. */
  keyed: [];
}

/** A card held to the reader: a Wiegand format's fields, or its bits as '0'/'1'. */
export type CardPresentation =
  | { format: WiegandFormat; facility: number; card: number }
  | { bits: string; format?: 'wiegand' | 'raw' };

/** The bits of one card read the RAW reply may carry (CAP's card data format says so). */
const MAX_CARD_BITS = 1024;
/** Events kept for polls; the oldest is lost beyond this, as a real reader's buffer overflows. */
const MAX_PENDING_EVENTS = 64;
/**
 * A pause in the bytes this long ends a half-received frame: the control panel sends each
 * command whole, so what came before the pause was noise or a frame cut off.
 */
const FRAME_GAP_MS = 100;
/** Replies kept for the replay fault: three back has the same sequence number as the next. */
const HISTORY = 4;

type Outgoing =
  { kind: 'plain'; body: ReplyBody | HandshakeBody } | { kind: 'sealed'; body: ReplyBody };

export class SimulatedOsdpReader extends EventEmitter<SimulatedReaderEvents> {
  /** Lasting faults: set and clear them directly. */
  readonly faults: LastingFaults = { dead: false, replyDelayMs: 0, duplicateReplies: false };

  private currentAddress: number;
  private currentBaudRate: number;
  private scbk: Uint8Array | undefined;
  private readonly supportsSecureChannel: boolean;
  private readonly clientUid: Uint8Array;
  private readonly identity: ReaderIdentity;
  private readonly inputCount: number;
  private readonly outputCount: number;
  private readonly ledCount: number;
  private readonly random: (length: number) => Uint8Array;
  private readonly clock: SimClock;
  private readonly indicators: ReaderIndicators;

  private decoder = new FrameDecoder({ maxFrameLength: RECEIVE_BUFFER_SIZE });
  private lastByteAt: number | undefined;
  private sequence: Sequence | undefined;
  private last: { command: Uint8Array; reply: Buffer } | undefined;
  private handshake: ReaderHandshake | undefined;
  private session: SecureSession | undefined;
  private pending: Reply[] = [];
  private inputs: boolean[];
  private tamper = false;
  private powerFailure = false;
  private power = true;
  private oneShot: OneShotFaults = noOneShotFaults();
  private history: Buffer[] = [];
  private readonly timers = new Set<unknown>();

  constructor(options: SimulatedReaderOptions) {
    super();
    this.currentAddress = checkAddress(options.address);
    this.currentBaudRate = options.baudRate ?? 9600;
    if (!(OSDP_BAUD_RATES as readonly number[]).includes(this.currentBaudRate)) {
      throw invalid('baudRate', `must be one of ${OSDP_BAUD_RATES.join(', ')}`);
    }
    if (options.scbk !== undefined && options.scbk.length !== 16) {
      throw invalid('scbk', 'must be 16 bytes');
    }
    this.scbk =
      options.scbk === undefined || sameBytes(options.scbk, SCBK_D)
        ? undefined
        : Uint8Array.from(options.scbk);
    this.supportsSecureChannel = options.secureChannel ?? true;
    this.identity = { ...defaultIdentity, ...options.identity };
    this.clientUid = Uint8Array.from(options.clientUid ?? clientUidOf(this.identity));
    if (this.clientUid.length !== 8) throw invalid('clientUid', 'must be 8 bytes');
    this.inputCount = checkCount('inputs', options.inputs ?? 0);
    this.outputCount = checkCount('outputs', options.outputs ?? 1);
    this.ledCount = checkCount('leds', options.leds ?? 1);
    this.random = options.random ?? ((length) => randomBytes(length));
    this.clock = options.clock ?? systemClock;
    this.indicators = new ReaderIndicators({ leds: this.ledCount, outputs: this.outputCount }, () =>
      this.clock.now(),
    );
    this.inputs = new Array<boolean>(this.inputCount).fill(false);
  }

  get address(): number {
    return this.currentAddress;
  }

  get baudRate(): number {
    return this.currentBaudRate;
  }

  /** True while a Secure Channel session is open. */
  get secured(): boolean {
    return this.session !== undefined;
  }

  /** True while the reader still has only the default key SCBK-D (install mode). */
  get installMode(): boolean {
    return this.scbk === undefined;
  }

  get powered(): boolean {
    return this.power;
  }

  /** Events waiting for a poll. */
  get pendingEvents(): number {
    return this.pending.length;
  }

  led(led = 0): LedView {
    return this.indicators.led(led);
  }

  buzzer(): BuzzerView {
    return this.indicators.buzzer();
  }

  text(): TextView | undefined {
    return this.indicators.text();
  }

  outputs(): boolean[] {
    return this.indicators.outputs();
  }

  /** Bytes from the bus, in any chunking. */
  receive(bytes: Uint8Array): void {
    if (!this.power || this.faults.dead) return;
    const now = this.clock.now();
    if (this.lastByteAt !== undefined && now - this.lastByteAt > FRAME_GAP_MS) {
      this.decoder.reset();
    }
    this.lastByteAt = now;
    for (const output of this.decoder.push(bytes)) {
      if (output.kind === 'frame') this.handle(output.frame);
    }
  }

  // --- what a person does at the reader -------------------------------------------------

  /** A card held to the reader: its RAW read is the answer to a coming poll. */
  presentCard(card: CardPresentation): void {
    if ('facility' in card) {
      if (!WIEGAND_FORMATS.includes(card.format)) {
        throw invalid('format', `must be one of ${WIEGAND_FORMATS.join(', ')}`);
      }
      const { bitCount, data } = encodeCard(card.format, card.facility, card.card);
      this.queue({ kind: 'RAW', read: { reader: 0, format: RawFormat.WIEGAND, bitCount, data } });
      return;
    }
    if (!/^[01]+$/.test(card.bits) || card.bits.length > MAX_CARD_BITS) {
      throw invalid('bits', `must be 1-${MAX_CARD_BITS} characters '0' or '1'`);
    }
    const bits = Array.from(card.bits, (bit) => (bit === '1' ? 1 : 0));
    const format = card.format === 'raw' ? RawFormat.UNSPECIFIED : RawFormat.WIEGAND;
    this.queue({
      kind: 'RAW',
      read: { reader: 0, format, bitCount: bits.length, data: packBits(bits) },
    });
  }

  /** Keys pressed ('0'-'9', '*', '#', 'A'-'H'), reported together in one KEYPAD reply. */
  typeKeys(keys: string): void {
    const reply: Reply = { kind: 'KEYPAD', reader: 0, keys };
    if (keys.length === 0 || keys.length > 64) throw invalid('keys', 'must be 1-64 keys');
    encodeReply(reply); // throws INVALID_ARGUMENT for a character that is not a key
    this.queue(reply);
  }

  /** The tamper switch: a change is reported at the next poll (LSTATR), and by LSTAT. */
  setTamper(open: boolean): void {
    if (open === this.tamper) return;
    this.tamper = open;
    this.queueStatus();
  }

  /** The reader's supply failing (LSTATR's power byte). */
  setPowerFailure(failing: boolean): void {
    if (failing === this.powerFailure) return;
    this.powerFailure = failing;
    this.queueStatus();
  }

  setInput(input: number, active: boolean): void {
    if (!Number.isInteger(input) || input < 0 || input >= this.inputCount) {
      throw invalid('input', `must be 0-${this.inputCount - 1}`);
    }
    this.inputs[input] = active;
  }

  /**
   * Power cut: silent, and whatever a reader keeps in RAM is gone (its key, address and speed
   * are kept, as in its non-volatile memory).
   */
  powerOff(): void {
    this.power = false;
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    this.decoder = new FrameDecoder({ maxFrameLength: RECEIVE_BUFFER_SIZE });
    this.lastByteAt = undefined;
    this.sequence = undefined;
    this.last = undefined;
    this.handshake = undefined;
    this.session = undefined;
    this.pending = [];
    this.history = [];
    this.oneShot = noOneShotFaults();
    this.indicators.reset();
    this.emit('indicators');
  }

  powerOn(): void {
    this.power = true;
  }

  // --- one-shot faults ----------------------------------------------------------------------

  /** Swallow the next `count` replies (the reader still keeps them for a resend). */
  dropNextReplies(count = 1): void {
    this.oneShot.drop += count;
  }

  /** Flip a bit of the MAC of the next reply that has one. */
  corruptNextMac(): void {
    this.oneShot.corruptMac = true;
  }

  /** Send an old reply instead of the next one (three replies back: the same sequence number). */
  replayOldReplyNext(): void {
    this.oneShot.replayOld = true;
  }

  /** The next reply claims to come from `address`. */
  answerNextFromAddress(address: number): void {
    this.oneShot.wrongAddress = checkAddress(address);
  }

  /** Put these bytes (line noise by default) on the bus just before the next reply. */
  garbageBeforeNextReply(bytes: Uint8Array = DEFAULT_GARBAGE): void {
    this.oneShot.garbage = Uint8Array.from(bytes);
  }

  /**
   * Lose the secure session (a reader reset by a glitch): the next secured command gets a
   * plaintext NAK.
   */
  forgetSession(): void {
    this.session = undefined;
    this.handshake = undefined;
  }

  // --- the protocol -------------------------------------------------------------------------

  private handle(frame: Frame): void {
    if (frame.reply) return;
    if (frame.address !== this.currentAddress && frame.address !== BROADCAST_ADDRESS) return;
    const reply = (outgoing: Outgoing): Buffer => this.encode(frame, outgoing);
    if (frame.sequence === 0) {
      // The control panel starts over: nothing before counts, not even a secure session.
      this.sequence = undefined;
      this.last = undefined;
      this.session = undefined;
      this.handshake = undefined;
    } else if (frame.sequence === this.sequence) {
      const last = this.last;
      if (last !== undefined && sameBytes(last.command, frame.bytes)) {
        this.transmit(last.reply, false);
        return;
      }
      this.transmit(reply(plainNak(NakCode.UNEXPECTED_SEQUENCE)), false);
      return;
    } else if (this.sequence === undefined || frame.sequence !== nextSequence(this.sequence)) {
      this.transmit(reply(plainNak(NakCode.UNEXPECTED_SEQUENCE)), false);
      return;
    }
    this.sequence = frame.sequence;
    const comset = { address: this.currentAddress, baudRate: this.currentBaudRate };
    const bytes = reply(this.process(frame, comset));
    this.last = { command: Uint8Array.from(frame.bytes), reply: bytes };
    this.transmit(bytes);
    if (comset.address !== this.currentAddress || comset.baudRate !== this.currentBaudRate) {
      // COM went out from the old address at the old speed; only then does the reader move.
      // The specification does not say whether the sequence restarts there: it goes on, and
      // a control panel that starts over with 0 is answered too.
      this.currentAddress = comset.address;
      this.currentBaudRate = comset.baudRate;
      this.emit('comset', comset);
    }
  }

  private encode(frame: Frame, outgoing: Outgoing): Buffer {
    const fields = {
      address: frame.address,
      sequence: frame.sequence,
      integrity: frame.integrity,
    };
    if (outgoing.kind === 'sealed' && this.session !== undefined) {
      return this.session.seal({ ...fields, ...outgoing.body });
    }
    return encodeFrame({ ...fields, reply: true, ...outgoing.body });
  }

  /** The reply to an in-sequence command; `comset` receives the settings COMSET asks for. */
  private process(frame: Frame, comset: { address: number; baudRate: number }): Outgoing {
    const security = frame.security;
    if (security === undefined) {
      if (this.session !== undefined) {
        this.session = undefined;
        return plainNak(NakCode.SECURITY_CONDITIONS);
      }
      const command = readCommand(frame);
      if (!command.ok) return plainNak(nakCodeFor(frame.code, frame.data, command.error));
      return { kind: 'plain', body: this.execute(command.value, false, comset) };
    }
    if (!this.supportsSecureChannel) return plainNak(NakCode.SECURITY_BLOCK_UNSUPPORTED);
    switch (security.type) {
      case SecurityBlockType.BEGIN:
        return this.answerChallenge(frame);
      case SecurityBlockType.SERVER_CRYPTOGRAM:
        return this.answerServerCryptogram(frame);
      case SecurityBlockType.COMMAND_MAC:
      case SecurityBlockType.COMMAND_MAC_ENCRYPTED:
        return this.processSecured(frame, comset);
      default:
        // A reply's block, or one OSDP does not define, in a command.
        return plainNak(NakCode.SECURITY_BLOCK_UNSUPPORTED);
    }
  }

  private answerChallenge(frame: Frame): Outgoing {
    // A new challenge ends whatever session there was, whether or not the handshake succeeds.
    this.session = undefined;
    this.handshake = new ReaderHandshake({
      installMode: this.scbk === undefined,
      clientUid: this.clientUid,
      pdRandom: Uint8Array.from(this.random(8)),
      ...(this.scbk === undefined ? {} : { scbk: this.scbk }),
    });
    const answer = this.handshake.answerChallenge(frame);
    if (!answer.ok) {
      this.handshake = undefined;
      return plainNak(NakCode.SECURITY_CONDITIONS);
    }
    return { kind: 'plain', body: answer.value };
  }

  private answerServerCryptogram(frame: Frame): Outgoing {
    const handshake = this.handshake;
    this.handshake = undefined;
    if (handshake === undefined) return plainNak(NakCode.SECURITY_CONDITIONS);
    const answer = handshake.answerServerCryptogram(frame);
    if (!answer.ok) return plainNak(NakCode.SECURITY_CONDITIONS);
    this.session = answer.value.session;
    return { kind: 'plain', body: answer.value.reply };
  }

  private processSecured(frame: Frame, comset: { address: number; baudRate: number }): Outgoing {
    if (this.session === undefined) return plainNak(NakCode.SECURITY_CONDITIONS);
    // The MAC is checked (and the data decrypted) before anything of the command is read.
    const opened = this.session.open(frame);
    if (!opened.ok) {
      // A forged, replayed or reordered command, or another session's: this one is over.
      this.session = undefined;
      return plainNak(NakCode.SECURITY_CONDITIONS);
    }
    const { code, data } = opened.value;
    const command = decodeCommand(code, data);
    if (!command.ok) {
      // Authentic, but not a command this reader can carry out: refused inside the session.
      return sealedNak(nakCodeFor(code, data, command.error));
    }
    return { kind: 'sealed', body: this.execute(command.value, true, comset) };
  }

  private execute(
    command: Command,
    secured: boolean,
    comset: { address: number; baudRate: number },
  ): ReplyBody {
    switch (command.kind) {
      case 'POLL':
        return encodeReply(this.pending.shift() ?? { kind: 'ACK' });
      case 'ID':
        return encodeReply({ kind: 'PDID', identity: this.identity });
      case 'CAP':
        return encodeReply({
          kind: 'PDCAP',
          capabilities: capabilitiesOf({
            inputs: this.inputCount,
            outputs: this.outputCount,
            leds: this.ledCount,
            secureChannel: this.supportsSecureChannel,
            defaultKey: this.scbk === undefined,
          }),
        });
      case 'LSTAT':
        return encodeReply(this.status());
      case 'ISTAT':
        return encodeReply({ kind: 'ISTATR', inputs: [...this.inputs] });
      case 'OSTAT':
        return encodeReply({ kind: 'OSTATR', outputs: this.indicators.outputs() });
      case 'RSTAT':
        // One reader, the PD itself: its state is its own tamper switch.
        return encodeReply({ kind: 'RSTATR', readers: [this.tamper ? 'tamper' : 'normal'] });
      case 'OUT':
        return this.changed(this.indicators.applyOutputs(command.outputs));
      case 'LED':
        return this.changed(this.indicators.applyLeds(command.leds));
      case 'BUZ':
        return this.changed(this.indicators.applyBuzzer(command.buzzer));
      case 'TEXT':
        return this.changed(this.indicators.applyText(command.text));
      case 'COMSET':
        comset.address = command.address;
        comset.baudRate = command.baudRate;
        return encodeReply({ kind: 'COM', address: command.address, baudRate: command.baudRate });
      case 'KEYSET':
        if (!secured) return nakBody(NakCode.SECURITY_CONDITIONS);
        // Set back to the default key, the reader is in install mode again.
        this.scbk = sameBytes(command.key, SCBK_D) ? undefined : Uint8Array.from(command.key);
        this.emit('keyed');
        return encodeReply({ kind: 'ACK' });
      case 'CHLNG':
      case 'SCRYPT':
        // The handshake's commands without their security block, or inside a session.
        return nakBody(NakCode.SECURITY_CONDITIONS);
    }
  }

  private changed(done: boolean): ReplyBody {
    if (!done) return nakBody(NakCode.UNABLE_TO_PROCESS);
    this.emit('indicators');
    return encodeReply({ kind: 'ACK' });
  }

  private status(): Reply {
    return { kind: 'LSTATR', tamper: this.tamper, powerFailure: this.powerFailure };
  }

  private queueStatus(): void {
    // Only the latest status is worth reporting: an older one waiting is replaced.
    this.pending = this.pending.filter((event) => event.kind !== 'LSTATR');
    this.queue(this.status());
  }

  private queue(event: Reply): void {
    this.pending.push(event);
    if (this.pending.length > MAX_PENDING_EVENTS) this.pending.shift();
  }

  // --- the wire -------------------------------------------------------------------------------

  /** Puts a reply on the bus, through the faults; `record` keeps it for the replay fault. */
  private transmit(reply: Buffer, record = true): void {
    if (record) {
      this.history.push(reply);
      if (this.history.length > HISTORY) this.history.shift();
    }
    const faults = this.oneShot;
    if (faults.drop > 0) {
      faults.drop -= 1;
      return;
    }
    let bytes = reply;
    if (faults.replayOld && this.history.length > 1) {
      bytes = this.history[0] ?? reply;
      faults.replayOld = false;
    }
    if (faults.corruptMac) {
      const corrupt = withCorruptMac(bytes);
      if (corrupt !== undefined) {
        bytes = corrupt;
        faults.corruptMac = false;
      }
    }
    if (faults.wrongAddress !== undefined) {
      bytes = withAddress(bytes, faults.wrongAddress);
      faults.wrongAddress = undefined;
    }
    if (faults.garbage !== undefined) {
      bytes = Buffer.concat([faults.garbage, bytes]);
      faults.garbage = undefined;
    }
    const copies = this.faults.duplicateReplies ? [bytes, bytes] : [bytes];
    const send = (): void => {
      if (!this.power || this.faults.dead) return;
      for (const copy of copies) this.emit('transmit', Buffer.from(copy));
    };
    if (this.faults.replyDelayMs <= 0) {
      send();
      return;
    }
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      send();
    }, this.faults.replyDelayMs);
    this.timers.add(timer);
  }
}

function plainNak(reason: number): Outgoing {
  return { kind: 'plain', body: nakBody(reason) };
}

function sealedNak(reason: number): Outgoing {
  return { kind: 'sealed', body: nakBody(reason) };
}

function nakBody(reason: number): ReplyBody {
  return encodeReply({
    kind: 'NAK',
    reason: nakReason(reason),
    reasonCode: reason,
    detail: new Uint8Array(0),
  });
}

function checkAddress(address: number): number {
  if (!Number.isInteger(address) || address < 0 || address > 0x7e) {
    throw invalid('address', 'must be 0x00-0x7E (0x7F is the broadcast address)');
  }
  return address;
}

function checkCount(field: string, count: number): number {
  if (!Number.isInteger(count) || count < 0 || count > 64) throw invalid(field, 'must be 0-64');
  return count;
}

function invalid(field: string, why: string): OsdpError {
  return new OsdpError('INVALID_ARGUMENT', `simulated reader: ${field} ${why}`, { field });
}
