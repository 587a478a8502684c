import type { ReaderPortEvents } from '../../serial/reader-port.js';
import type { OsdpBus } from './bus-api.js';

/** What the glue needs of drivers/serial's ReaderPort (so a test can hand it a stand-in). */
export interface BusPort {
  on<K extends keyof ReaderPortEvents>(
    event: K,
    listener: (...args: ReaderPortEvents[K]) => void,
  ): unknown;
  off<K extends keyof ReaderPortEvents>(
    event: K,
    listener: (...args: ReaderPortEvents[K]) => void,
  ): unknown;
  write(bytes: Uint8Array): boolean;
}

/**
 * Wires a serial port to a bus: its bytes to `receive`, its outages to `portOffline` /
 * `portOnline`. The other direction is the bus's `write` option, made with {@link writeToPort}
 * (the bus is given it when it is created). Returns the function that undoes the wiring.
 */
export function connectBusToPort(bus: OsdpBus, port: BusPort): () => void {
  const onData = (chunk: Buffer): void => bus.receive(chunk);
  const onOnline = (): void => bus.portOnline();
  const onOffline = (info: { reason: string }): void => bus.portOffline(info.reason);
  port.on('data', onData);
  port.on('online', onOnline);
  port.on('offline', onOffline);
  return () => {
    port.off('data', onData);
    port.off('online', onOnline);
    port.off('offline', onOffline);
  };
}

/**
 * The bus's `write` option for a port: bytes written while the port is closed are dropped (as
 * a pulled cable drops them), and the bus's reply timeout notices.
 */
export function writeToPort(port: Pick<BusPort, 'write'>): (bytes: Uint8Array) => void {
  return (bytes) => {
    port.write(bytes);
  };
}
