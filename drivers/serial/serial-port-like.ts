import { SerialPort } from 'serialport';

/**
 * The part of serialport's `SerialPort` that the reader drivers use, so the simulator's
 * SimPort (and test fakes) can stand in for a real port through the same factory.
 *
 * A disconnect (USB unplug, pty master gone) shows up as `'close'` with an error whose
 * `disconnected` is true; a deliberate close has no error.
 */
export type SerialPortEvent = 'data' | 'close' | 'error' | 'open';

export type PortCallback = (err: Error | null) => void;

export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: PortCallback): void;
  close(callback: PortCallback): void;
  write(data: Buffer | string, callback?: (err: Error | null | undefined) => void): boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'open', listener: () => void): this;
  off(event: 'data', listener: (chunk: Buffer) => void): this;
  off(event: 'close', listener: (err?: Error | null) => void): this;
  off(event: 'error', listener: (err: Error) => void): this;
  off(event: 'open', listener: () => void): this;
  once(event: 'data', listener: (chunk: Buffer) => void): this;
  once(event: 'close', listener: (err?: Error | null) => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'open', listener: () => void): this;
  removeAllListeners(event?: SerialPortEvent): this;
}

export interface PortOptions {
  path: string;
  baudRate: number;
}

export type PortFactory = (options: PortOptions) => SerialPortLike;

/** A real serial device; 8 data bits, no parity, 1 stop bit (serialport's defaults). */
export const realPortFactory: PortFactory = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false });

/** True for the error serialport (and SimPort) attach to `'close'` when the device went away. */
export function isDisconnectError(err: unknown): boolean {
  return err instanceof Error && (err as Error & { disconnected?: unknown }).disconnected === true;
}
