import type { Socket } from 'node:net';
import {
  loopbackClientOwner,
  type ConnectionEnds,
} from '../../../drivers/loopback-owner/loopback-owner.js';
import type { Logger } from '../../log/logger.js';

/** A refusal is logged once a minute per uid at most: a local flood must not fill the journal. */
const LOG_EVERY_MS = 60_000;

/**
 * Whether a connection to the cabinet screen comes from the kiosk: its client end owned by the
 * kiosk's Unix user, as the kernel's table of connections says (drivers/loopback-owner). Any
 * other local user could otherwise take the screen's streams from the kiosk, watch who is at
 * the cabinet and type on its PIN pad. Decided once per connection: a browser's keep-alive
 * connection keeps its owner.
 */
export function kioskAdmission(options: {
  kioskUid: number;
  logger: Logger;
  ownerOf?: (ends: ConnectionEnds) => number | null;
  now?: () => number;
}): (socket: Socket) => boolean {
  const ownerOf = options.ownerOf ?? loopbackClientOwner;
  const now = options.now ?? Date.now;
  const decided = new WeakMap<Socket, boolean>();
  const loggedAt = new Map<number | null, number>();
  return (socket) => {
    const known = decided.get(socket);
    if (known !== undefined) return known;
    const uid = ownerOf({
      clientAddress: socket.remoteAddress ?? '',
      clientPort: socket.remotePort ?? 0,
      serverAddress: socket.localAddress ?? '',
      serverPort: socket.localPort ?? 0,
    });
    const admitted = uid === options.kioskUid;
    decided.set(socket, admitted);
    if (!admitted && now() - (loggedAt.get(uid) ?? -Infinity) >= LOG_EVERY_MS) {
      loggedAt.set(uid, now());
      if (loggedAt.size > 1_000) loggedAt.clear();
      options.logger.warn(
        { uid, kioskUid: options.kioskUid, address: socket.remoteAddress },
        uid === null
          ? 'cabinet screen refused a connection whose owner is not in /proc/net/tcp (not from this machine?)'
          : `cabinet screen refused a connection of uid ${uid}: only the kiosk user may use it`,
      );
    }
    return admitted;
  };
}
