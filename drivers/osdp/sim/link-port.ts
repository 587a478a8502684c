import { EventEmitter } from 'node:events';
import type { PortCallback, PortOptions, SerialPortLike } from '../../serial/serial-port-like.js';
import { SimDisconnectedError } from '../../serial/sim-port.js';
import type { SimulatedOsdpBus } from './simulated-bus.js';

/**
 * The control panel's end of an in-process link to a simulated bus: a serial port, as the
 * daemon's port factory hands them out, whose other end is the simulated readers (`npm start`
 * with an OSDP profile drives the same cabinet over OSDP without a device).
 *
 * It behaves like serialport where the link can tell: callbacks, `open`/`close` and `data`
 * arrive asynchronously, in order (a reader never answers inside the write that asked), bytes
 * reach the readers only while the port is open and at the speed it was opened with, and
 * `unplug()` closes it with a disconnected error. Nothing written is kept: the link polls
 * continuously, and a record of every frame would grow without end.
 */
export class OsdpLinkPort extends EventEmitter implements SerialPortLike {
  private opened = false;
  private plugged = true;
  private readonly fromBus = (bytes: Buffer): void => {
    if (!this.opened) return;
    const copy = Buffer.from(bytes);
    setImmediate(() => {
      if (this.opened) this.emit('data', copy);
    });
  };

  constructor(
    private readonly bus: SimulatedOsdpBus,
    readonly path: string,
    /** The line speed; the port factory sets it on each open, as a real port is reopened. */
    public baudRate: number,
  ) {
    super();
    bus.on('transmit', this.fromBus);
  }

  get isOpen(): boolean {
    return this.opened;
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
    const bytes = Buffer.from(data);
    const baudRate = this.baudRate;
    setImmediate(() => this.bus.receive(bytes, baudRate));
    if (callback) later(callback, null);
    return true;
  }

  /**
   * The adapter pulled out: an open port closes with a disconnected error, and opening fails
   * until plug().
   */
  unplug(): void {
    this.plugged = false;
    if (!this.opened) return;
    this.opened = false;
    process.nextTick(() => this.emit('close', new SimDisconnectedError(`${this.path}: unplugged`)));
  }

  plug(): void {
    this.plugged = true;
  }

  /** Detaches from the bus for good. */
  dispose(): void {
    this.opened = false;
    this.bus.off('transmit', this.fromBus);
  }
}

/**
 * A port factory, as the daemon's readers take (the test checks it is a PortFactory), handing
 * out one link port per path on `bus`, at the speed the opener asks for.
 */
export type OsdpLinkPortFactory = ((options: PortOptions) => OsdpLinkPort) & {
  get(path: string): OsdpLinkPort | undefined;
};

export function osdpLinkPortFactory(bus: SimulatedOsdpBus): OsdpLinkPortFactory {
  const ports = new Map<string, OsdpLinkPort>();
  const factory = ({ path, baudRate }: PortOptions): OsdpLinkPort => {
    let port = ports.get(path);
    if (port === undefined) {
      port = new OsdpLinkPort(bus, path, baudRate);
      ports.set(path, port);
    }
    port.baudRate = baudRate;
    return port;
  };
  return Object.assign(factory, { get: (path: string) => ports.get(path) });
}

function later(callback: PortCallback, err: Error | null): void {
  process.nextTick(() => callback(err));
}
