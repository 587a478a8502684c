import { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from '../test/support/pty-pair.js';
import { PtyWriter, type WriteMode } from './pty-writer.js';

/**
 * The floor under the badge latency: how long a frame takes from the write into a socat pty
 * pair to serialport's 'data' event carrying its last byte, with nothing behind the port.
 * It is opened the way the daemon opens its readers (serialport, same baud rate, no parser),
 * so the difference between the two is the daemon's own time.
 */
export class PtyDeliveryProbe {
  private received = 0;
  private waiter: { expect: number; resolve: (at: number) => void } | null = null;

  private constructor(
    private readonly pair: PtyPair,
    private readonly port: SerialPort,
    private readonly writer: PtyWriter,
  ) {
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    // An unhandled 'error' would crash the run; a failed sample shows up as a timeout instead.
    port.on('error', () => undefined);
  }

  static async open(baudRate: number): Promise<PtyDeliveryProbe> {
    const pair = await openPtyPair();
    const port = new SerialPort({ path: pair.devicePath, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    return new PtyDeliveryProbe(pair, port, await PtyWriter.open(pair.peerPath));
  }

  /** Milliseconds from the write of `frame` to the data event with its last byte; null on timeout. */
  async measure(frame: Buffer, mode: WriteMode, timeoutMs: number): Promise<number | null> {
    this.received = 0;
    let timer: NodeJS.Timeout | undefined;
    // Armed before the write: with an async write the data can, in principle, arrive first.
    const arrived = new Promise<number | null>((resolve) => {
      this.waiter = { expect: frame.length, resolve };
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const t0 = await this.writer.write(frame, mode);
    const t1 = await arrived;
    clearTimeout(timer);
    this.waiter = null;
    return t1 === null ? null : t1 - t0;
  }

  async close(): Promise<void> {
    await this.writer.close().catch(() => undefined);
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
    await this.pair.close();
  }

  private onData(chunk: Buffer): void {
    const at = performance.now();
    this.received += chunk.length;
    const waiter = this.waiter;
    if (waiter && this.received >= waiter.expect) {
      this.waiter = null;
      waiter.resolve(at);
    }
  }
}
