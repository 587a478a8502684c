import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Who is at the other end of a Unix socket connection, as the kernel recorded it. */
export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
  /** The uid's name in the system's user database; null when it has none. */
  user: string | null;
}

interface Addon {
  peerCredentials(fd: number): PeerCredentials;
  groupId(name: string): number | null;
}

/**
 * The addon is built by `npm install` (binding.gyp beside this file) into build/Release. This
 * module runs from the sources (tests) or from dist/drivers/peer-credentials (the package), so
 * both places are looked at.
 */
function loadAddon(): Addon {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'build', 'Release', 'peer_credentials.node'),
    join(
      here,
      '..',
      '..',
      '..',
      'drivers',
      'peer-credentials',
      'build',
      'Release',
      'peer_credentials.node',
    ),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `the peer-credentials addon is not built (looked for ${candidates.join(', ')}): run npm install`,
    );
  }
  return createRequire(import.meta.url)(found) as Addon;
}

let addon: Addon | undefined;

/**
 * The credentials of the process that connected to this Unix socket (SO_PEERCRED): its uid is
 * the kernel's word, never something the client said. Throws when the socket is not a
 * connected Unix socket.
 */
export function peerCredentials(socket: Socket): PeerCredentials {
  // net.Socket keeps its file descriptor on the libuv handle; Node documents no accessor.
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    throw new Error(
      'peer credentials: the socket has no file descriptor (closed, or not a Unix socket)',
    );
  }
  addon ??= loadAddon();
  return addon.peerCredentials(fd);
}

/** The gid of a group by name (the system's group database), or null when there is none. */
export function groupId(name: string): number | null {
  addon ??= loadAddon();
  return addon.groupId(name);
}
