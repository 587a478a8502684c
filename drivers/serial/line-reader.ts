import { Transform, type TransformCallback } from 'node:stream';
import { ReadlineParser } from '@serialport/parser-readline';
import { hexPreview, type Garbled } from './garbled.js';
import { LineGuard } from './line-guard.js';

/**
 * A line-oriented reader's byte stream as lines: bytes in, one string per line out, and a
 * `'garbled'` event for each line dropped.
 *
 * Wire format: printable ASCII, each line ended by CR, LF or CR LF (so empty lines between
 * them are ignored). TAB counts as printable; any other control byte (or a byte ≥ 0x7F) makes
 * the whole line garbled. A line longer than `maxLength` is dropped (`line too long`) up to its
 * terminator, and an unterminated line when the stream ends (the port closed) is dropped too:
 * half a card number must never read as a whole one.
 *
 * The splitting is `@serialport/parser-readline`'s; a LineGuard in front of it keeps its
 * buffer bounded (at most `maxLength + 1` bytes are ever held, however long a run without a
 * terminator lasts).
 */
export interface LineReaderOptions {
  maxLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 64;

export class LineReader extends Transform {
  readonly maxLength: number;
  private readonly guard: LineGuard;
  private readonly splitter: ReadlineParser;

  constructor(options: LineReaderOptions = {}) {
    super({ readableObjectMode: true });
    const maxLength = options.maxLength ?? DEFAULT_MAX_LINE_LENGTH;
    if (!Number.isInteger(maxLength) || maxLength < 1) {
      throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
    }
    this.maxLength = maxLength;
    this.guard = new LineGuard(maxLength);
    // latin1: one character per byte, so a dropped line's bytes can be shown exactly. The
    // delimiter is kept so that a line the parser flushes at the end without one is known.
    this.splitter = new ReadlineParser({
      delimiter: '\n',
      encoding: 'latin1',
      includeDelimiter: true,
    });
    this.guard.pipe(this.splitter);
    this.splitter.on('data', (raw: string) => this.checked(raw));
    for (const inner of [this.guard, this.splitter]) {
      inner.on('error', (err: Error) => this.destroy(err));
    }
  }

  /** Bytes of the unfinished line held in the parser; never more than `maxLength + 1`. */
  get bufferedLength(): number {
    return this.splitter.buffer.length;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.guard.write(chunk, (err) => done(err));
  }

  override _flush(done: TransformCallback): void {
    this.splitter.once('end', () => done());
    this.splitter.resume();
    this.guard.end();
  }

  private checked(raw: string): void {
    const terminated = raw.endsWith('\n');
    const line = terminated ? raw.slice(0, -1) : raw;
    if (line === '') return;
    const bytes = Buffer.from(line, 'latin1');
    if (!terminated) return this.dropLine('unterminated line', bytes);
    if (bytes.length > this.maxLength) {
      return this.dropLine('line too long', bytes.subarray(0, this.maxLength));
    }
    if (!bytes.every(isPrintable)) return this.dropLine('non-printable byte', bytes);
    this.push(line);
  }

  private dropLine(reason: string, bytes: Buffer): void {
    const garbled: Garbled = { reason, bytes: hexPreview(bytes) };
    this.emit('garbled', garbled);
  }
}

const TAB = 0x09;

function isPrintable(byte: number): boolean {
  return byte === TAB || (byte >= 0x20 && byte <= 0x7e);
}
