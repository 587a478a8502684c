import { Transform, type TransformCallback } from 'node:stream';
import { hexPreview, MAX_SHOWN_BYTES, type Garbled } from './garbled.js';

/**
 * RDM6300 / EM4100 125 kHz UART reader, 9600 baud 8N1.
 *
 * ASCII frame (14 bytes):
 *
 *   02 | 10 ASCII hex digits: 5 data bytes (1 version + 4 card-number bytes) | 2 ASCII hex digits: checksum | 03
 *   02   31 30 30 30 38 36 46 34 34 34                                          32 36                          03
 *        "1000 86F444" → card 100086F444                                        "26" = 10^00^86^F4^44
 *
 * Some clones put CR and/or LF anywhere between STX and ETX: they are skipped.
 *
 * Binary variant (10 bytes), sent by other clones:
 *
 *   02 0A 02 | 5 raw data bytes | XOR of the 5 data bytes | 03
 *
 * The binary variant is recognised by `02 0A 02` (an ASCII frame would never have a second
 * STX there). Its data bytes can take any value, so it is framed by length, not delimiters.
 *
 * While a tag stays in the field the reader repeats the frame every ~50 ms: debouncing is
 * not this parser's job (see PresentationDebouncer).
 *
 * Output: `{ card }`, the 10 data digits upper-cased. Anything else is dropped with a
 * `'garbled'` event and the parser resynchronises on the next STX. Bytes between frames are
 * reported once per run (CR/LF between frames are ignored silently).
 */
export interface Rdm6300Read {
  card: string;
}

const STX = 0x02;
const ETX = 0x03;
const CR = 0x0d;
const LF = 0x0a;

const ASCII_DIGITS = 12;
/** STX + 12 digits + ETX, plus room for the CR/LF some clones insert, and no more. */
const ASCII_FRAME_LIMIT = 24;
const BINARY_FRAME_LENGTH = 10;
const BINARY_DATA_START = 3;

type Mode =
  | 'hunt' // between frames: looking for STX, collecting a preview of any garbage
  | 'discard' // after a bad frame: silently dropping until the next STX
  | 'ascii'
  | 'binary';

export class Rdm6300Parser extends Transform {
  /** Upper bound of {@link bufferedLength}, whatever arrives. */
  static readonly maxBuffered = Math.max(MAX_SHOWN_BYTES, ASCII_FRAME_LIMIT, BINARY_FRAME_LENGTH);

  private mode: Mode = 'hunt';
  private readonly held = Buffer.alloc(Rdm6300Parser.maxBuffered);
  private heldLength = 0;
  private digits = 0;
  /** In hunt mode: the current run of garbage was already reported. */
  private garbageReported = false;

  constructor() {
    super({ readableObjectMode: true });
  }

  /** Bytes held between writes: the frame in progress, or the preview of garbage. */
  get bufferedLength(): number {
    return this.heldLength;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.consume(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.mode === 'ascii' || this.mode === 'binary') this.dropHeld('incomplete frame');
    else if (this.mode === 'hunt' && this.heldLength > 0) this.dropHeld('bytes outside a frame');
    done();
  }

  private consume(bytes: Uint8Array): void {
    for (const byte of bytes) this.step(byte);
  }

  private step(byte: number): void {
    switch (this.mode) {
      case 'hunt':
        return this.hunt(byte);
      case 'discard':
        if (byte === STX) this.startFrame();
        return;
      case 'ascii':
        return this.ascii(byte);
      case 'binary':
        return this.binary(byte);
    }
  }

  private hunt(byte: number): void {
    if (byte === STX) {
      if (this.heldLength > 0) this.dropHeld('bytes outside a frame');
      this.startFrame();
      return;
    }
    if (byte === CR || byte === LF || this.garbageReported) return;
    this.hold(byte);
    // Report a long run now rather than when (if ever) it ends, keeping the preview bounded.
    if (this.heldLength === MAX_SHOWN_BYTES) {
      this.dropHeld('bytes outside a frame');
      this.garbageReported = true;
    }
  }

  private ascii(byte: number): void {
    if (byte === STX) {
      if (this.heldLength === 2 && this.held[1] === LF) {
        this.hold(byte);
        this.mode = 'binary';
        return;
      }
      this.dropHeld('incomplete frame');
      this.startFrame();
      return;
    }
    if (this.heldLength === ASCII_FRAME_LIMIT) return this.fail('wrong length');
    this.hold(byte);
    if (byte === ETX) {
      if (this.digits !== ASCII_DIGITS) return this.fail('wrong length');
      return this.finishAscii();
    }
    if (byte === CR || byte === LF) return;
    if (!isHexDigit(byte)) return this.fail('non-hex content');
    if (this.digits === ASCII_DIGITS) return this.fail('wrong length');
    this.digits += 1;
  }

  private finishAscii(): void {
    const text = Buffer.from(
      this.held.subarray(1, this.heldLength - 1).filter((b) => b !== CR && b !== LF),
    )
      .toString('latin1')
      .toUpperCase();
    const data = Buffer.from(text.slice(0, 10), 'hex');
    const checksum = Number.parseInt(text.slice(10), 16);
    if (xor(data) !== checksum) return this.fail('bad checksum');
    this.emitCard(text.slice(0, 10));
  }

  private binary(byte: number): void {
    this.hold(byte);
    if (this.heldLength < BINARY_FRAME_LENGTH) return;
    if (this.held[BINARY_FRAME_LENGTH - 1] !== ETX) {
      // Not a binary frame after all (or bytes were lost): a real frame may start at any STX
      // we swallowed as "data", so replay from the first one after the leading STX.
      const replay = Buffer.from(this.held.subarray(2, this.heldLength));
      this.dropHeld('wrong length');
      this.reset('hunt');
      this.consume(replay);
      return;
    }
    const data = this.held.subarray(BINARY_DATA_START, BINARY_DATA_START + 5);
    if (xor(data) !== this.held[BINARY_DATA_START + 5]) return this.fail('bad checksum');
    this.emitCard(data.toString('hex').toUpperCase());
  }

  private emitCard(card: string): void {
    this.push({ card } satisfies Rdm6300Read);
    this.reset('hunt');
  }

  private startFrame(): void {
    this.reset('ascii');
    this.hold(STX);
  }

  private fail(reason: string): void {
    this.dropHeld(reason);
    this.reset('discard');
  }

  private dropHeld(reason: string): void {
    const garbled: Garbled = { reason, bytes: hexPreview(this.held.subarray(0, this.heldLength)) };
    this.heldLength = 0;
    this.emit('garbled', garbled);
  }

  private hold(byte: number): void {
    this.held[this.heldLength] = byte;
    this.heldLength += 1;
  }

  private reset(mode: Mode): void {
    this.mode = mode;
    this.heldLength = 0;
    this.digits = 0;
    this.garbageReported = false;
  }
}

function isHexDigit(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x46) ||
    (byte >= 0x61 && byte <= 0x66)
  );
}

function xor(bytes: Uint8Array): number {
  return bytes.reduce((acc, b) => acc ^ b, 0);
}
