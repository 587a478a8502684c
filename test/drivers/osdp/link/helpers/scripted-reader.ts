import {
  ReaderHandshake,
  type HandshakeBody,
} from '../../../../../drivers/osdp/channel-handshake.js';
import { SecurityBlockType } from '../../../../../drivers/osdp/codes.js';
import type { Command } from '../../../../../drivers/osdp/commands.js';
import {
  BROADCAST_ADDRESS,
  encodeFrame,
  type Frame,
  type Integrity,
} from '../../../../../drivers/osdp/frame.js';
import { readCommand } from '../../../../../drivers/osdp/read-frame.js';
import {
  CapabilityFunction,
  encodeReply,
  type Capability,
  type Reply,
} from '../../../../../drivers/osdp/replies.js';
import type { SecureSession } from '../../../../../drivers/osdp/secure-session.js';

export interface ScriptedReaderOptions {
  address: number;
  /** Secure Channel: the reader's own key, and whether it still accepts SCBK-D. */
  secure?: { scbk?: Uint8Array; installMode?: boolean };
  clientUid?: Uint8Array;
  /** What its PDCAP says it still has: the default key. */
  saysDefaultKey?: boolean;
  integrity?: Integrity;
}

const NAK_UNKNOWN_COMMAND = 3;
const NAK_UNEXPECTED_SEQUENCE = 4;
const NAK_ENCRYPTION_REQUIRED = 6;

/**
 * A reader played by the test, built from the core's reader side (ReaderHandshake, a
 * SecureSession in the reader's role, readCommand and encodeReply): it answers what the
 * specification says a reader answers, keeps its sequence and session state, and repeats its
 * last reply to a repeated sequence number. Not the PD simulator: only what these tests need,
 * plus the switches to make it misbehave.
 */
export class ScriptedReader {
  address: number;
  /** Takes no part: a powered-off reader. */
  silent = false;
  /** Every command it received and read, in order. */
  readonly received: Command[] = [];
  /** Replies to give to the next POLLs (card reads, keypad entries, status). */
  readonly toReport: Reply[] = [];
  /** Keys set by KEYSET. */
  readonly keysets: Uint8Array[] = [];
  /** Transforms its next reply's bytes (one shot), to corrupt or replace it. */
  tamperNext: ((reply: Buffer) => Buffer) | undefined;
  /** Commands it answers with NAK (unknown command), as a reader without them would. */
  readonly refuse = new Set<Command['kind']>();
  /** Its next reply comes this late (one shot), instead of the bench's usual delay. */
  delayNextMs: number | undefined;
  /** Every reply it sent, in order (for replays). */
  readonly sent: Buffer[] = [];
  /** How many times a repeated sequence number made it send its last reply again. */
  repeats = 0;

  private scbk: Uint8Array | undefined;
  private installMode: boolean;
  private handshake: ReaderHandshake | undefined;
  private session: SecureSession | undefined;
  private lastSequence: number | undefined;
  private lastReply: Buffer | undefined;
  private randomCounter = 0;
  private moveTo: number | undefined;

  constructor(private readonly options: ScriptedReaderOptions) {
    this.address = options.address;
    this.scbk = options.secure?.scbk;
    this.installMode = options.secure?.installMode ?? false;
  }

  get secured(): boolean {
    return this.session !== undefined;
  }

  /** As a reader that restarted: no session any more (it NAKs MACed commands in plaintext). */
  forgetSession(): void {
    this.session = undefined;
    this.handshake = undefined;
  }

  /** Its answer to a frame seen on the wire, or undefined (not for it, or silent). */
  handle(frame: Frame): Buffer | undefined {
    if (this.silent || frame.reply) return undefined;
    if (frame.address !== this.address && frame.address !== BROADCAST_ADDRESS) return undefined;
    if (frame.sequence !== 0 && frame.sequence === this.lastSequence && this.lastReply) {
      this.repeats += 1;
      return this.lastReply;
    }
    if (frame.sequence === 0) this.session = undefined;
    const expected = this.lastSequence === undefined ? undefined : nextAfter(this.lastSequence);
    if (frame.sequence !== 0 && expected !== undefined && frame.sequence !== expected) {
      return this.reply(frame, nak(NAK_UNEXPECTED_SEQUENCE));
    }
    const bytes = this.answer(frame);
    this.lastSequence = frame.sequence;
    this.lastReply = bytes;
    if (this.moveTo !== undefined) {
      // COM goes out at the old address; the reader listens at the new one from then on.
      this.address = this.moveTo;
      this.moveTo = undefined;
    }
    return bytes;
  }

  private answer(frame: Frame): Buffer {
    const type = frame.security?.type;
    if (type === SecurityBlockType.BEGIN) {
      this.session = undefined;
      this.handshake = new ReaderHandshake({
        ...(this.scbk === undefined ? {} : { scbk: this.scbk }),
        installMode: this.installMode,
        clientUid: this.options.clientUid ?? Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
        pdRandom: this.random(),
      });
      const answer = this.handshake.answerChallenge(frame);
      return answer.ok
        ? this.handshakeReply(frame, answer.value)
        : this.reply(frame, nak(NAK_ENCRYPTION_REQUIRED));
    }
    if (type === SecurityBlockType.SERVER_CRYPTOGRAM && this.handshake !== undefined) {
      const answer = this.handshake.answerServerCryptogram(frame);
      if (!answer.ok) return this.reply(frame, nak(NAK_ENCRYPTION_REQUIRED));
      const bytes = this.handshakeReply(frame, answer.value.reply);
      this.session = answer.value.session;
      return bytes;
    }
    const command = readCommand(frame, this.session);
    if (!command.ok) {
      // A reader that cannot check a frame drops its session and says so in plaintext.
      this.session = undefined;
      return this.reply(frame, nak(NAK_ENCRYPTION_REQUIRED));
    }
    this.received.push(command.value);
    return this.reply(frame, this.respond(command.value));
  }

  private respond(command: Command): Reply {
    if (this.refuse.has(command.kind)) return nak(NAK_UNKNOWN_COMMAND);
    switch (command.kind) {
      case 'POLL':
        return this.toReport.shift() ?? { kind: 'ACK' };
      case 'ID':
        return {
          kind: 'PDID',
          identity: {
            vendorCode: Uint8Array.of(0x5c, 0x26, 0x23),
            model: 1,
            version: 2,
            serialNumber: 0x01020304,
            firmware: { major: 1, minor: 2, build: 3 },
          },
        };
      case 'CAP':
        return { kind: 'PDCAP', capabilities: this.capabilities() };
      case 'KEYSET':
        this.keysets.push(command.key);
        this.scbk = command.key;
        this.installMode = false;
        return { kind: 'ACK' };
      case 'COMSET':
        this.moveTo = command.address;
        return { kind: 'COM', address: command.address, baudRate: command.baudRate };
      case 'LED':
      case 'BUZ':
      case 'TEXT':
      case 'OUT':
        return { kind: 'ACK' };
      case 'LSTAT':
        return { kind: 'LSTATR', tamper: false, powerFailure: false };
      default:
        return nak(NAK_UNKNOWN_COMMAND);
    }
  }

  private capabilities(): Capability[] {
    const secure = this.options.secure !== undefined;
    return [
      { functionCode: CapabilityFunction.CARD_DATA_FORMAT, compliance: 1, count: 0 },
      {
        functionCode: CapabilityFunction.CHECK_CHARACTER,
        compliance: (this.options.integrity ?? 'crc') === 'crc' ? 1 : 0,
        count: 0,
      },
      {
        functionCode: CapabilityFunction.COMMUNICATION_SECURITY,
        compliance: secure ? 1 : 0,
        count: this.options.saysDefaultKey === true ? 1 : 0,
      },
    ];
  }

  private reply(frame: Frame, reply: Reply): Buffer {
    const body = encodeReply(reply);
    const fields = {
      address: this.address,
      sequence: frame.sequence,
      integrity: frame.integrity,
      ...body,
    };
    const bytes =
      this.session === undefined
        ? encodeFrame({ ...fields, reply: true })
        : this.session.seal(fields);
    return this.out(bytes);
  }

  private handshakeReply(frame: Frame, body: HandshakeBody): Buffer {
    return this.out(
      encodeFrame({
        address: this.address,
        reply: true,
        sequence: frame.sequence,
        integrity: frame.integrity,
        ...body,
      }),
    );
  }

  private out(bytes: Buffer): Buffer {
    const tamper = this.tamperNext;
    this.tamperNext = undefined;
    const final = tamper === undefined ? bytes : tamper(bytes);
    this.sent.push(final);
    return final;
  }

  private random(): Uint8Array {
    this.randomCounter += 1;
    return Uint8Array.from({ length: 8 }, (_, i) => (this.randomCounter * 31 + i * 7) & 0xff);
  }
}

function nak(reasonCode: number): Reply {
  return { kind: 'NAK', reasonCode, reason: 'UNKNOWN', detail: new Uint8Array(0) };
}

function nextAfter(sequence: number): number {
  return sequence === 3 || sequence === 0 ? 1 : sequence + 1;
}
