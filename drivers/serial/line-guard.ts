import { Transform, type TransformCallback } from 'node:stream';

/**
 * Sits in front of `@serialport/parser-readline`, which buffers until it sees its delimiter,
 * without any bound: a reader stuck sending without a terminator would grow its buffer forever.
 *
 * Bytes pass through, with CR turned into LF (line readers end lines with CR, LF or CR LF; the
 * parser splits on LF, and the empty lines this makes are ignored after it). A run of more
 * than `maxLength` bytes without a terminator is cut: its first `maxLength + 1` bytes go on
 * followed by an LF, so the parser hands over a line that is recognisably too long (and is
 * reported as such after it), and the rest of the run up to the next terminator is dropped
 * here. The parser therefore never holds more than `maxLength + 1` bytes.
 */
export class LineGuard extends Transform {
  /** Bytes of the current run passed on (at most maxLength + 1). */
  private runLength = 0;
  /** Dropping the rest of an overlong run until its terminator. */
  private discarding = false;

  constructor(readonly maxLength: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let length = 0;
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        if (!this.discarding) out[length++] = LF;
        this.discarding = false;
        this.runLength = 0;
      } else if (!this.discarding) {
        out[length++] = byte;
        this.runLength += 1;
        if (this.runLength > this.maxLength) {
          // The cut LF stands in for the run's terminator, which will be dropped: only a run
          // still open at the chunk's end adds a byte, so `out` has room for it.
          out[length++] = LF;
          this.discarding = true;
        }
      }
    }
    done(null, length > 0 ? out.subarray(0, length) : undefined);
  }
}

const CR = 0x0d;
const LF = 0x0a;
