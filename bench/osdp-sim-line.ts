import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { SimulatedOsdpBus } from '../drivers/osdp/sim/index.js';
import { MARK, parseFrame } from '../drivers/osdp/frame.js';

/** One frame a simulated reader put on the line, and when its write(2) returned. */
export interface SentFrame {
  at: number;
  bytes: Buffer;
  /** The reply code (RAW, ACK…; readable in a secured frame too: only the data is encrypted). */
  code: number | undefined;
}

/**
 * The simulated readers' end of a socat pty pair: the control panel's bytes are read through
 * the real serialport package (as a USB-RS485 adapter would be read) and handed to the
 * SimulatedOsdpBus; the readers' replies are written with one `fs.writeSync` each on a second
 * descriptor of the same pty, and `onSent` learns the instant that write returned.
 *
 * Why not serialport's own write: it queues through a stream and runs write(2) on a libuv
 * worker, so the moment the bytes enter the pty is not observable on this thread (the `async`
 * mode of bench/pty-writer.ts explains the bias). The synchronous write is the exact instant,
 * and the same one the bare pty floor (pty-delivery.ts, `sync` mode) is measured from.
 */
export class OsdpSimLine {
  private constructor(
    private readonly port: SerialPort,
    private readonly fd: number,
    private readonly detach: () => void,
  ) {}

  static async open(
    peerPath: string,
    baudRate: number,
    bus: SimulatedOsdpBus,
    watchers: {
      onSent?: (frame: SentFrame) => void;
      /** A chunk from the control panel holding one whole command frame: its code. */
      onCommand?: (code: number, at: number) => void;
    } = {},
  ): Promise<OsdpSimLine> {
    const port = new SerialPort({ path: peerPath, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    // A pty closing under the port at teardown is not a failure of the run.
    port.on('error', () => undefined);
    // O_NOCTTY: the benchmark must never acquire the pty as its controlling terminal.
    const fd = openSync(peerPath, constants.O_RDWR | constants.O_NOCTTY);
    const { onSent, onCommand } = watchers;
    if (onCommand) {
      // Before the simulated bus's listener: the command is seen as it arrives.
      port.on('data', (chunk: Buffer) => {
        const code = frameCode(chunk);
        if (code !== undefined) onCommand(code, performance.now());
      });
    }
    const detach = bus.attachToPort({
      on: (event, listener) => port.on(event, listener),
      off: (event, listener) => port.off(event, listener),
      write: (bytes: Buffer) => {
        const written = writeSync(fd, bytes);
        const at = performance.now();
        if (written !== bytes.length) {
          throw new Error(`short write to pty: ${written} of ${bytes.length} bytes`);
        }
        onSent?.({ at, bytes, code: frameCode(bytes) });
      },
    });
    return new OsdpSimLine(port, fd, detach);
  }

  async close(): Promise<void> {
    this.detach();
    closeSync(this.fd);
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

/**
 * The code of the one frame in `bytes` (after the optional 0xFF mark); undefined if `bytes` is
 * not exactly one whole frame.
 */
export function frameCode(bytes: Uint8Array): number | undefined {
  const start = bytes[0] === MARK ? 1 : 0;
  const parsed = parseFrame(bytes.subarray(start), 0);
  return parsed.ok ? parsed.value.code : undefined;
}
