import { declaredLength, minimumLength, MARK, parseFrame, SOM, type Frame } from './frame.js';
import { OsdpError } from './osdp-error.js';

/**
 * Bytes in, frames out: the receiving half of the OSDP link, with no port and no timer.
 *
 * `push` takes whatever the serial port delivered (any chunking) and returns what it completed,
 * in order: frames, and the reasons bytes were dropped, as values (it never throws, whatever the
 * bytes). It resynchronises on the next SOM (0x53) after garbage, after a frame whose check
 * fails, and after a header whose LEN cannot be (below what its control byte needs, or above
 * `maxFrameLength`): only the false SOM is dropped, so a real frame that began inside the
 * rejected bytes is still found. The 0xFF mark byte, and 0xFF idle bytes, are skipped silently.
 *
 * A false SOM followed by a large plausible LEN holds the bytes behind it until LEN bytes have
 * arrived: the link above calls `reset()` when its reply timeout expires and before each command
 * it sends (the bus is half duplex: nothing half received is worth keeping once we talk), which
 * reports and drops what was held.
 *
 * Errors name where: `details.offset` counts the bytes pushed since the decoder was made.
 */
export type DecoderOutput = { kind: 'frame'; frame: Frame } | { kind: 'error'; error: OsdpError };

export interface FrameDecoderOptions {
  /** Frames declaring more bytes are refused (default {@link DEFAULT_MAX_FRAME_LENGTH}). */
  maxFrameLength?: number;
}

/**
 * 1024 bytes: well above any frame of the commands and replies here (the largest, a TEXT or a
 * long RAW read, stays under 300; libosdp's default buffer is 256), while a false LEN holds the
 * bytes behind it for at most ~90 ms at 115200 baud.
 */
export const DEFAULT_MAX_FRAME_LENGTH = 1024;
/** A garbage run is reported at least every this many bytes, so one report stays bounded. */
const GARBAGE_REPORT_EVERY = 1024;

export class FrameDecoder {
  readonly maxFrameLength: number;
  private held: Buffer = Buffer.alloc(0);
  /** Stream position of held[0]. */
  private heldOffset = 0;
  private garbageStart = 0;
  private garbageLength = 0;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 8 || max > 0xffff) {
      throw new OsdpError('INVALID_ARGUMENT', 'maxFrameLength must be an integer 8-65535', {
        field: 'maxFrameLength',
      });
    }
    this.maxFrameLength = max;
  }

  /** Bytes held for a frame still arriving; never above {@link maxFrameLength}. */
  get bufferedLength(): number {
    return this.held.length;
  }

  push(chunk: Uint8Array): DecoderOutput[] {
    const out: DecoderOutput[] = [];
    this.held = this.held.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.held, chunk]);
    for (;;) {
      if (!this.huntSom(out)) break;
      const length = declaredLength(this.held);
      if (length === undefined) break;
      const control = this.held[4] ?? 0;
      const address = (this.held[1] ?? 0) & 0x7f;
      if (length < minimumLength(control)) {
        out.push(
          this.error(
            'FRAME_TOO_SHORT',
            length,
            address,
            `below the ${minimumLength(control)} its control byte needs`,
          ),
        );
        this.drop(1);
        continue;
      }
      if (length > this.maxFrameLength) {
        out.push(
          this.error('FRAME_TOO_LONG', length, address, `above the maximum ${this.maxFrameLength}`),
        );
        this.drop(1);
        continue;
      }
      if (this.held.length < length) break;
      const parsed = parseFrame(this.held.subarray(0, length), this.heldOffset);
      if (parsed.ok) {
        out.push({ kind: 'frame', frame: parsed.value });
        this.drop(length);
        continue;
      }
      out.push({ kind: 'error', error: parsed.error });
      // A failed check may be a false SOM inside other bytes: look again from the next byte.
      // A frame whose check passed but whose security block is wrong came whole from a sender:
      // skip all of it.
      this.drop(parsed.error.code === 'BAD_SECURITY_BLOCK' ? length : 1);
    }
    return out;
  }

  /** Drops what is held (a frame half received, a garbage run) and says what it was. */
  reset(): OsdpError[] {
    const dropped: OsdpError[] = [];
    if (this.held.length > 0) {
      const address = this.held.length > 1 ? (this.held[1] ?? 0) & 0x7f : undefined;
      dropped.push(
        new OsdpError(
          'FRAME_INCOMPLETE',
          `frame at byte ${this.heldOffset} cut off after ${this.held.length} bytes`,
          {
            offset: this.heldOffset,
            length: this.held.length,
            ...(address === undefined ? {} : { address }),
          },
        ),
      );
      this.drop(this.held.length);
    }
    const garbage = this.takeGarbage();
    if (garbage !== undefined) dropped.push(garbage);
    return dropped;
  }

  /** Moves to the first SOM held; true when held[0] is one. Reports garbage runs it passes. */
  private huntSom(out: DecoderOutput[]): boolean {
    let index = 0;
    while (index < this.held.length && this.held[index] !== SOM) {
      if (this.held[index] !== MARK) {
        if (this.garbageLength === 0) this.garbageStart = this.heldOffset + index;
        this.garbageLength += 1;
        if (this.garbageLength === GARBAGE_REPORT_EVERY) this.reportGarbage(out);
      }
      index += 1;
    }
    this.drop(index);
    if (this.held.length === 0) return false;
    this.reportGarbage(out);
    return true;
  }

  private reportGarbage(out: DecoderOutput[]): void {
    const garbage = this.takeGarbage();
    if (garbage !== undefined) out.push({ kind: 'error', error: garbage });
  }

  private takeGarbage(): OsdpError | undefined {
    if (this.garbageLength === 0) return undefined;
    const error = new OsdpError(
      'GARBAGE',
      `${this.garbageLength} bytes outside a frame from byte ${this.garbageStart}`,
      { offset: this.garbageStart, length: this.garbageLength },
    );
    this.garbageLength = 0;
    return error;
  }

  private error(
    code: 'FRAME_TOO_SHORT' | 'FRAME_TOO_LONG',
    length: number,
    address: number,
    why: string,
  ): DecoderOutput {
    const message = `frame at byte ${this.heldOffset} (address ${address}) declares ${length} bytes, ${why}`;
    return {
      kind: 'error',
      error: new OsdpError(code, message, { offset: this.heldOffset, address, length }),
    };
  }

  private drop(count: number): void {
    this.held = this.held.subarray(count);
    this.heldOffset += count;
  }
}
