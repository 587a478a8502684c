import { OsdpError } from '../osdp-error.js';
import type { OsdpBus } from './bus-api.js';

export interface ReaderComms {
  address: number;
  baudRate: number;
}

/**
 * Moves a reader to a new address and/or baud rate with COMSET, the way the specification has
 * it happen: the reader answers COM at its OLD address and speed, then switches. The bus then
 * talks to the new address at once (its 'readdressed' event; its link starts over there with
 * sequence 0); the speed is the port's, so when `baudRate` changed the caller reopens the port at
 * it (stop the ReaderPort, start one at the new speed, connect it to the bus: the bus sees
 * portOffline then portOnline and starts every reader's conversation again).
 *
 * Resolves with what the reader says it now uses (its COM reply), which is what the caller must
 * follow. Rejects with the bus's OsdpError, or COMMAND_REFUSED when the reader answers
 * anything but COM (a NAK: it keeps its old settings).
 */
export async function changeReaderComms(
  bus: OsdpBus,
  address: number,
  target: ReaderComms,
): Promise<ReaderComms> {
  const reply = await bus.send(address, { kind: 'COMSET', ...target });
  if (reply.kind !== 'COM') {
    const why = reply.kind === 'NAK' ? `NAK (${reply.reason})` : reply.kind;
    throw new OsdpError(
      'COMMAND_REFUSED',
      `reader at address ${address} answered COMSET with ${why}: its settings are unchanged`,
      { address },
    );
  }
  return { address: reply.address, baudRate: reply.baudRate };
}
