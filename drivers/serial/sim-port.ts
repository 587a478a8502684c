import { EventEmitter } from 'node:events';
import type { PortCallback, PortFactory, PortOptions, SerialPortLike } from './serial-port-like.js';

/** Paths of this form name simulated ports: `sim:badge`, `sim:fobs`. */
export const SIM_PATH_PREFIX = 'sim:';

export function isSimPath(path: string): boolean {
  return path.startsWith(SIM_PATH_PREFIX);
}

/** The error a SimPort closes with when unplugged, shaped like serialport's DisconnectedError. */
export class SimDisconnectedError extends Error {
  readonly disconnected = true;
  constructor(message: string) {
    super(message);
    this.name = 'SimDisconnectedError';
  }
}

/**
 * An in-process serial port for the simulated cabinet. The simulator plays the device:
 * `inject()` is bytes from the device, `unplug()`/`plug()` pull and reinsert its cable.
 * It behaves like serialport where the drivers can tell: callbacks and `open`/`close` events
 * arrive asynchronously, and an unplug closes the port with a `disconnected` error.
 */
export class SimPort extends EventEmitter implements SerialPortLike {
  private opened = false;
  private plugged = true;
  /** What the host wrote to the device, oldest first (for the simulator and tests). */
  readonly written: Buffer[] = [];
  /** Baud rate the port was last created with through the registry's factory. */
  baudRate: number | null = null;

  constructor(readonly path: string) {
    super();
  }

  get isOpen(): boolean {
    return this.opened;
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  open(callback: PortCallback): void {
    if (!this.plugged) return later(callback, new Error(`${this.path}: no such device`));
    if (this.opened) return later(callback, new Error(`${this.path}: port is already open`));
    this.opened = true;
    process.nextTick(() => {
      this.emit('open');
      callback(null);
    });
  }

  close(callback: PortCallback): void {
    if (!this.opened) return later(callback, new Error(`${this.path}: port is not open`));
    this.opened = false;
    process.nextTick(() => {
      this.emit('close', null);
      callback(null);
    });
  }

  write(data: Buffer | string, callback?: (err: Error | null | undefined) => void): boolean {
    if (!this.opened) {
      if (callback) later(callback, new Error(`${this.path}: port is not open`));
      return false;
    }
    this.written.push(Buffer.from(data));
    if (callback) later(callback, null);
    return true;
  }

  /**
   * Bytes from the device. Delivered synchronously as one `'data'` chunk when the port is
   * open; dropped otherwise, like a device talking to a closed port. Returns whether delivered.
   */
  inject(bytes: Buffer | string): boolean {
    if (!this.opened) return false;
    this.emit('data', Buffer.from(bytes));
    return true;
  }

  /** Pulls the cable: an open port closes with a disconnected error; opens fail until plug(). */
  unplug(): void {
    this.plugged = false;
    if (!this.opened) return;
    this.opened = false;
    process.nextTick(() => this.emit('close', new SimDisconnectedError(`${this.path}: unplugged`)));
  }

  plug(): void {
    this.plugged = true;
  }
}

/**
 * Hands out one SimPort per path, so the daemon's readers (through `factory`) and the
 * simulator's control interface (through `get`) talk about the same port.
 */
export class SimPortRegistry {
  private readonly ports = new Map<string, SimPort>();

  get(path: string): SimPort {
    let port = this.ports.get(path);
    if (!port) {
      port = new SimPort(path);
      this.ports.set(path, port);
    }
    return port;
  }

  readonly factory: PortFactory = ({ path, baudRate }: PortOptions) => {
    const port = this.get(path);
    port.baudRate = baudRate;
    return port;
  };
}

function later(callback: PortCallback, err: Error | null): void {
  process.nextTick(() => callback(err));
}
