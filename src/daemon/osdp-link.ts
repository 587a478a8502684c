import type { OsdpBus, OsdpBusOptions } from '../../drivers/osdp/link/bus-api.js';
import type { ReaderPort } from '../../drivers/serial/reader-port.js';
import { KeywardenError } from '../errors.js';

/**
 * The OSDP link (drivers/osdp/link/: the bus over the pure core, and its glue to a serial port)
 * as the daemon takes it: injected, so everything above the bus (the badge reader, the feedback,
 * the CLI's COMSET) is written and tested against the bus's API with a fake bus.
 */
export interface OsdpLink {
  /** drivers/osdp/link/bus.ts */
  createOsdpBus(options: OsdpBusOptions): OsdpBus;
  /** drivers/osdp/link/port-glue.ts: the port's bytes and state into the bus; returns undo. */
  connectBusToPort(bus: OsdpBus, port: ReaderPort): () => void;
  /** How the bus's bytes go out on the port (the glue's writer for it). */
  portWriter(port: ReaderPort): (bytes: Uint8Array) => void;
}

/** Until the link is built in, an OSDP profile is refused at start with a clear reason. */
const UNWIRED: OsdpLink = {
  createOsdpBus() {
    throw new KeywardenError(
      'CONFIG_INVALID',
      'readers.badge.protocol osdp: this build has no OSDP link (drivers/osdp/link/)',
    );
  },
  connectBusToPort() {
    return () => undefined;
  },
  portWriter() {
    return () => undefined;
  },
};

/** The link the daemon and the CLI use; the one place to swap in the real one. */
export const osdpLink: OsdpLink = UNWIRED;

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
