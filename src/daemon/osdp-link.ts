import type { OsdpBus, OsdpBusOptions } from '../../drivers/osdp/link/bus-api.js';
import { createOsdpBus } from '../../drivers/osdp/link/bus.js';
import { connectBusToPort, writeToPort } from '../../drivers/osdp/link/port-glue.js';
import type { ReaderPort } from '../../drivers/serial/reader-port.js';

/**
 * The OSDP link (drivers/osdp/link/: the bus over the pure core, and its glue to a serial port)
 * as the daemon takes it: injected, so everything above the bus (the badge reader, the feedback,
 * the CLI's COMSET) can also be tested against the bus's API with a fake bus.
 */
export interface OsdpLink {
  /** drivers/osdp/link/bus.ts */
  createOsdpBus(options: OsdpBusOptions): OsdpBus;
  /** drivers/osdp/link/port-glue.ts: the port's bytes and state into the bus; returns undo. */
  connectBusToPort(bus: OsdpBus, port: ReaderPort): () => void;
  /** How the bus's bytes go out on the port (the glue's writer for it). */
  portWriter(port: ReaderPort): (bytes: Uint8Array) => void;
}

/** The real link: the bus of drivers/osdp/link/ on a drivers/serial ReaderPort. */
export const osdpLink: OsdpLink = { createOsdpBus, connectBusToPort, portWriter: writeToPort };

export interface OpenOsdpBus {
  bus: OsdpBus;
  /** Begins polling (the port is started by its owner). */
  start(): void;
  /** Stops polling and undoes the glue; the port is its owner's to stop. */
  stop(): void;
}

/** The one place a bus is made and tied to its port. */
export function openOsdpBus(
  link: OsdpLink,
  port: ReaderPort,
  options: Omit<OsdpBusOptions, 'write'>,
): OpenOsdpBus {
  const bus = link.createOsdpBus({ ...options, write: link.portWriter(port) });
  const disconnect = link.connectBusToPort(bus, port);
  return {
    bus,
    start: () => bus.start(),
    stop: () => {
      bus.stop();
      disconnect();
    },
  };
}
