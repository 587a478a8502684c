import { EventEmitter } from 'node:events';
import type { DriverLogger } from '../logger.js';
import { devicePresent } from './device-presence.js';
import { isDisconnectError, type PortFactory, type SerialPortLike } from './serial-port-like.js';

export interface ReaderPortOptions {
  /** For logs: which reader this is ("badge", "fobs"). */
  name: string;
  path: string;
  baudRate: number;
  factory: PortFactory;
  logger: DriverLogger;
  /** How often to try again while the device is missing. */
  reopenIntervalMs?: number;
  /** How often to check that the device node still exists while online; 0 disables. */
  livenessIntervalMs?: number;
  /**
   * A reader that sends something at least this often (a heartbeat, a periodic inventory)
   * is offline after this long without a byte, and online again at the next byte; 0 (the
   * default) disables it, since most readers are silent when nothing happens.
   */
  silenceMs?: number;
}

export interface ReaderOffline {
  reason: string;
}

export interface ReaderPortEvents {
  data: [chunk: Buffer];
  online: [];
  offline: [info: ReaderOffline];
}

type State = 'idle' | 'opening' | 'online' | 'waiting' | 'stopped';

interface Connection {
  port: SerialPortLike;
  onData: (chunk: Buffer) => void;
  onClose: (err?: Error | null) => void;
  onError: (err: Error) => void;
  liveness: NodeJS.Timeout | null;
  silence: NodeJS.Timeout | null;
  /** Announced offline for silence while the port stays open; the next byte ends it. */
  silent: boolean;
}

/**
 * A serial reader that may come and go. Readers get unplugged, USB adapters re-enumerate,
 * a device may be missing when the daemon starts: none of that may stop the cabinet, so this
 * never throws or exits. It reports `'offline'` once per outage, retries every
 * `reopenIntervalMs` (serialport has no reconnect of its own, and opening again after the
 * device reappears works), and reports `'online'` when a port is open again.
 *
 * Each (re)open asks the factory for a port, so a stale port object is never reused.
 */
export class ReaderPort extends EventEmitter<ReaderPortEvents> {
  readonly name: string;
  readonly path: string;
  readonly baudRate: number;
  private readonly factory: PortFactory;
  private readonly log: DriverLogger;
  private readonly reopenIntervalMs: number;
  private readonly livenessIntervalMs: number;
  private readonly silenceMs: number;

  private state: State = 'idle';
  private connection: Connection | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attemptInFlight: Promise<void> | null = null;
  /** The current outage was already logged and announced (retries stay quiet). */
  private outageReported = false;

  constructor(options: ReaderPortOptions) {
    super();
    this.name = options.name;
    this.path = options.path;
    this.baudRate = options.baudRate;
    this.factory = options.factory;
    this.reopenIntervalMs = options.reopenIntervalMs ?? 1000;
    this.livenessIntervalMs = options.livenessIntervalMs ?? 5000;
    this.silenceMs = options.silenceMs ?? 0;
    this.log = options.logger.child({ reader: options.name, path: options.path });
  }

  get isOnline(): boolean {
    return this.state === 'online' && this.connection?.silent !== true;
  }

  /**
   * Puts bytes on the line (a protocol that talks to its reader, like OSDP). False when no port
   * is open: the bytes are dropped, as a cable that is unplugged would drop them, and the
   * protocol's own timeout notices. A write error reaches the port's 'error' listener.
   */
  write(bytes: Uint8Array): boolean {
    const connection = this.connection;
    if (connection === null || this.state !== 'online') return false;
    connection.port.write(Buffer.from(bytes));
    return true;
  }

  /** Starts opening the port; returns at once. Outcomes arrive as 'online'/'offline'. */
  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return;
    this.outageReported = false;
    this.attempt();
  }

  /** Closes the port and stops retrying. Safe to call in any state, and more than once. */
  async stop(): Promise<void> {
    const wasRunning = this.state !== 'idle' && this.state !== 'stopped';
    this.state = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.attemptInFlight;
    const connection = this.connection;
    this.connection = null;
    if (connection) await release(connection);
    if (wasRunning) this.log.info('reader stopped');
  }

  private attempt(): void {
    this.retryTimer = null;
    this.state = 'opening';
    const attempt = this.open().finally(() => {
      if (this.attemptInFlight === attempt) this.attemptInFlight = null;
    });
    this.attemptInFlight = attempt;
  }

  private async open(): Promise<void> {
    let port: SerialPortLike;
    try {
      // A missing node would fail open() anyway; checking first keeps fakes honest too.
      if (!(await devicePresent(this.path))) throw new Error(`${this.path}: no such device`);
      if (this.isStopped()) return;
      port = this.factory({ path: this.path, baudRate: this.baudRate });
    } catch (err) {
      return this.openFailed(err);
    }
    const connection: Connection = {
      port,
      onData: (chunk) => this.heard(connection, chunk),
      onClose: (err) =>
        this.lost(connection, isDisconnectError(err) ? 'disconnected' : 'closed', err),
      onError: (err) => this.lost(connection, 'port error', err),
      liveness: null,
      silence: null,
      silent: false,
    };
    // Listen for errors from the first moment to the last: an unhandled 'error' would crash us.
    port.on('error', connection.onError);
    const err = await openPort(port);
    if (err) {
      port.off('error', connection.onError);
      return this.openFailed(err);
    }
    if (this.isStopped()) return release(connection);
    // Data is wired before 'online' so a listener that reacts by talking to the device
    // cannot lose the answer.
    port.on('close', connection.onClose);
    port.on('data', connection.onData);
    this.connection = connection;
    this.state = 'online';
    this.outageReported = false;
    this.watchLiveness(connection);
    this.watchSilence(connection);
    this.log.info('reader online');
    this.emit('online');
  }

  private openFailed(err: unknown): void {
    if (this.isStopped()) return;
    this.state = 'waiting';
    if (this.outageReported) this.log.debug({ err }, 'reader still offline');
    else this.reportOffline(`open failed: ${messageOf(err)}`, err);
    this.scheduleRetry();
  }

  private lost(connection: Connection, reason: string, err?: unknown): void {
    if (connection !== this.connection) return;
    this.connection = null;
    // Closing the old port is not waited for: the retry opens the path afresh, and release()
    // resolves whatever close() answers.
    void release(connection);
    this.state = 'waiting';
    // A reader already announced offline for its silence stays in that one outage.
    if (connection.silent) this.outageReported = true;
    else this.reportOffline(reason, err);
    this.scheduleRetry();
  }

  private reportOffline(reason: string, err: unknown): void {
    this.outageReported = true;
    this.log.warn({ err, reason }, 'reader offline');
    this.emit('offline', { reason });
  }

  /** A method, not a comparison, because stop() can run while open() awaits. */
  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private scheduleRetry(): void {
    this.retryTimer = setTimeout(() => this.attempt(), this.reopenIntervalMs);
  }

  private heard(connection: Connection, chunk: Buffer): void {
    if (connection.silent) {
      connection.silent = false;
      this.log.info('reader answering again');
      this.emit('online');
    }
    this.watchSilence(connection);
    this.emit('data', chunk);
  }

  /** (Re)arms the silence timer: each byte pushes it back. */
  private watchSilence(connection: Connection): void {
    if (this.silenceMs <= 0 || connection !== this.connection) return;
    if (connection.silence) clearTimeout(connection.silence);
    connection.silence = setTimeout(() => {
      connection.silence = null;
      if (connection !== this.connection || connection.silent) return;
      connection.silent = true;
      this.log.warn({ silenceMs: this.silenceMs }, 'reader offline: no data');
      this.emit('offline', { reason: `no data for ${this.silenceMs} ms` });
    }, this.silenceMs);
  }

  private watchLiveness(connection: Connection): void {
    if (this.livenessIntervalMs <= 0) return;
    connection.liveness = setInterval(() => {
      // devicePresent never rejects (a failed stat reads as present or absent).
      void devicePresent(this.path).then((present) => {
        if (!present) this.lost(connection, 'device disappeared');
      });
    }, this.livenessIntervalMs);
  }
}

function openPort(port: SerialPortLike): Promise<Error | null> {
  return new Promise((resolve) => {
    try {
      port.open(resolve);
    } catch (err) {
      resolve(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** Detaches from a port we are done with, closing it if it is still open. */
async function release(connection: Connection): Promise<void> {
  const { port } = connection;
  if (connection.liveness) clearInterval(connection.liveness);
  if (connection.silence) clearTimeout(connection.silence);
  port.off('data', connection.onData);
  port.off('close', connection.onClose);
  if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  port.off('error', connection.onError);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
