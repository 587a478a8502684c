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
    // Two passes, so that nothing is allocated while an overlong run is being dropped: a reader
    // streaming garbage must not make garbage for the collector either.
    const start = { runLength: this.runLength, discarding: this.discarding };
    const length = this.scan(chunk);
    if (length === 0) return done();
    // Nothing changed (LF-ended lines of a sane length): the chunk itself goes on. With no CR,
    // no discarding at either end and the same length, every cut LF took the place of an LF.
    const unchanged = !start.discarding && !this.discarding && !chunk.includes(CR);
    if (unchanged && length === chunk.length) return done(null, chunk);
    this.runLength = start.runLength;
    this.discarding = start.discarding;
    const out = Buffer.allocUnsafe(length);
    this.scan(chunk, out);
    done(null, out);
  }

  /** Walks the chunk, advancing the run state; writes what passes into `out` when given. */
  private scan(chunk: Buffer, out?: Buffer): number {
    let length = 0;
    const put = (byte: number) => {
      if (out) out[length] = byte;
      length += 1;
    };
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        if (!this.discarding) put(LF);
        this.discarding = false;
        this.runLength = 0;
      } else if (!this.discarding) {
        put(byte);
        this.runLength += 1;
        if (this.runLength > this.maxLength) {
          // The cut LF stands in for the run's terminator, which will be dropped.
          put(LF);
          this.discarding = true;
        }
      }
    }
    return length;
  }
}

const CR = 0x0d;
const LF = 0x0a;
