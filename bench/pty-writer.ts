import { constants, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * How "the last byte has been written" is timed. Both write the whole frame in one write(2).
 *
 * - `async`: `FileHandle.write` (what test/support/pty-pair.ts does). write(2) runs on a
 *   libuv worker thread; t0 is read when the promise resolves on the main thread, which is
 *   one completion hand-off and one event-loop turn after the bytes entered the pty. So t0 is
 *   late by that hand-off, and latencies measured from it are short by the same amount.
 * - `sync`: `fs.writeSync` on the main thread; t0 is read the instant write(2) returns, when
 *   the kernel holds the bytes in the pty. Nothing else can run in between, so this is the
 *   exact "after the last byte" instant.
 */
export type WriteMode = 'async' | 'sync';

export const WRITE_MODES: readonly WriteMode[] = ['async', 'sync'];

/** Plays a reader: writes frames into the peer end of a pty pair and says when they went in. */
export class PtyWriter {
  private constructor(private readonly handle: FileHandle) {}

  static async open(peerPath: string): Promise<PtyWriter> {
    // O_NOCTTY: the benchmark must never acquire the pty as its controlling terminal.
    return new PtyWriter(await open(peerPath, constants.O_RDWR | constants.O_NOCTTY));
  }

  /** Writes `bytes` in one write and returns t0 (performance.now()) as defined by `mode`. */
  async write(bytes: Buffer, mode: WriteMode): Promise<number> {
    let written: number;
    if (mode === 'sync') {
      written = writeSync(this.handle.fd, bytes);
    } else {
      ({ bytesWritten: written } = await this.handle.write(bytes));
    }
    const t0 = performance.now();
    // A pty accepts a short frame whole; a partial write would make t0 meaningless.
    if (written !== bytes.length) {
      throw new Error(`short write to pty: ${written} of ${bytes.length} bytes`);
    }
    return t0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
