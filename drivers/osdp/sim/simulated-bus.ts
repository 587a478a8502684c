import { EventEmitter } from 'node:events';
import type { SimulatedOsdpReader } from './simulated-reader.js';

/**
 * Several simulated readers on one half-duplex RS-485 line (multi-drop). Every byte the control
 * panel sends reaches every reader; each answers only what is addressed to it. What a reader
 * sends reaches the control panel (`transmit`) and the other readers too, as on a real line,
 * where they ignore it (it is a reply).
 *
 * The line has one speed: when `receive` is told the control panel's baud rate, a reader
 * listening at another speed (after a COMSET) hears nothing it can read, as a UART would not.
 */
export interface SimulatedBusEvents {
  /** Bytes the readers put on the line, for the control panel. */
  transmit: [bytes: Buffer];
  /** A reader answered COMSET: whoever owns the port learns its new address and speed. */
  comset: [change: { reader: SimulatedOsdpReader; address: number; baudRate: number }];
}

/** The part of a serial port the bus needs (serialport's SerialPort has it). */
export interface ByteLink {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  write(data: Buffer): unknown;
}

export class SimulatedOsdpBus extends EventEmitter<SimulatedBusEvents> {
  private readonly attached = new Map<
    SimulatedOsdpReader,
    {
      transmit: (bytes: Buffer) => void;
      comset: (c: { address: number; baudRate: number }) => void;
    }
  >();

  constructor(readers: Iterable<SimulatedOsdpReader> = []) {
    super();
    for (const reader of readers) this.add(reader);
  }

  get readers(): SimulatedOsdpReader[] {
    return [...this.attached.keys()];
  }

  add(reader: SimulatedOsdpReader): void {
    if (this.attached.has(reader)) return;
    const listeners = {
      transmit: (bytes: Buffer) => this.fromReader(reader, bytes),
      comset: (c: { address: number; baudRate: number }) => this.emit('comset', { reader, ...c }),
    };
    reader.on('transmit', listeners.transmit);
    reader.on('comset', listeners.comset);
    this.attached.set(reader, listeners);
  }

  /** Takes a reader off the line (its wires cut). */
  remove(reader: SimulatedOsdpReader): void {
    const listeners = this.attached.get(reader);
    if (listeners === undefined) return;
    reader.off('transmit', listeners.transmit);
    reader.off('comset', listeners.comset);
    this.attached.delete(reader);
  }

  /** Bytes the control panel put on the line, at `baudRate` when it is known. */
  receive(bytes: Uint8Array, baudRate?: number): void {
    for (const reader of this.readers) {
      if (baudRate === undefined || reader.baudRate === baudRate) reader.receive(bytes);
    }
  }

  /**
   * Drives the bus from a serial port: what arrives on it goes to the readers, what they send
   * is written to it (the integration tests open one end of a socat pty pair with serialport
   * and give it here; the control panel opens the other end). Returns the detach function.
   * A pty carries no line speed: `baudRate`, when given, is the speed the control panel is
   * known to talk at, so a reader listening at another speed hears nothing, as on a real line.
   */
  attachToPort(port: ByteLink, baudRate?: number): () => void {
    const fromPort = (chunk: Buffer): void => this.receive(chunk, baudRate);
    const toPort = (bytes: Buffer): void => {
      port.write(bytes);
    };
    port.on('data', fromPort);
    this.on('transmit', toPort);
    return () => {
      port.off('data', fromPort);
      this.off('transmit', toPort);
    };
  }

  private fromReader(source: SimulatedOsdpReader, bytes: Buffer): void {
    this.emit('transmit', bytes);
    for (const other of this.readers) {
      if (other !== source && other.baudRate === source.baudRate) other.receive(bytes);
    }
  }
}
