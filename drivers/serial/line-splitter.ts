import { Transform, type TransformCallback } from 'node:stream';
import { hexPreview, type Garbled } from './garbled.js';

/**
 * Splits a line-oriented reader's byte stream into lines.
 *
 * Wire format: printable ASCII, each line ended by CR, LF or CR LF (so empty lines between
 * them are ignored). TAB counts as printable; any other control byte (or a byte ≥ 0x7F)
 * makes the whole line garbled.
 *
 * We do not use `@serialport/parser-readline`: it buffers until it sees a delimiter, without
 * any bound, so a reader stuck sending without a terminator would grow memory forever. Here a
 * line longer than `maxLength` is dropped (`'garbled'`, reason `line too long`) and everything
 * up to the next terminator is discarded, so at most `maxLength` bytes are ever held.
 */
export interface LineSplitterOptions {
  maxLength?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;

export class LineSplitter extends Transform {
  readonly maxLength: number;
  private readonly held: Buffer;
  private heldLength = 0;
  /** Dropping the rest of an overlong line until its terminator. */
  private discarding = false;

  constructor(options: LineSplitterOptions = {}) {
    super({ readableObjectMode: true });
    const maxLength = options.maxLength ?? 64;
    if (!Number.isInteger(maxLength) || maxLength < 1) {
      throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
    }
    this.maxLength = maxLength;
    this.held = Buffer.alloc(maxLength);
  }

  /** Bytes of the unfinished line held between writes; never more than `maxLength`. */
  get bufferedLength(): number {
    return this.heldLength;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const byte of chunk) this.step(byte);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.heldLength > 0) this.dropHeld('unterminated line');
    done();
  }

  private step(byte: number): void {
    if (byte === CR || byte === LF) {
      if (this.discarding) this.discarding = false;
      else if (this.heldLength > 0) this.finishLine();
      return;
    }
    if (this.discarding) return;
    if (this.heldLength === this.maxLength) {
      this.dropHeld('line too long');
      this.discarding = true;
      return;
    }
    this.held[this.heldLength] = byte;
    this.heldLength += 1;
  }

  private finishLine(): void {
    const line = this.held.subarray(0, this.heldLength);
    if (!line.every(isPrintable)) return this.dropHeld('non-printable byte');
    this.push(line.toString('latin1'));
    this.heldLength = 0;
  }

  private dropHeld(reason: string): void {
    const garbled: Garbled = { reason, bytes: hexPreview(this.held.subarray(0, this.heldLength)) };
    this.heldLength = 0;
    this.emit('garbled', garbled);
  }
}

function isPrintable(byte: number): boolean {
  return byte === TAB || (byte >= 0x20 && byte <= 0x7e);
}
