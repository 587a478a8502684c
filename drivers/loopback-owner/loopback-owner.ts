import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { endianness } from 'node:os';

/**
 * Which Unix user made a TCP connection to a server on this machine, from the kernel's own
 * tables: /proc/net/tcp and /proc/net/tcp6 list every TCP socket with the uid that owns it, so
 * the row whose local end is the connection's client end, and whose remote end is the server's,
 * names the client's owner. Nothing the client says is believed. Linux only.
 */

/** Both ends of a connection as the server sees them (net.Socket's remote and local ends). */
export interface ConnectionEnds {
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
}

/** One socket of /proc/net/tcp{,6}: its two ends (addresses as 16 bytes, IPv4 mapped) and owner. */
export interface TcpSocketRow {
  local: { address: Buffer; port: number };
  remote: { address: Buffer; port: number };
  uid: number;
}

const TABLES = ['/proc/net/tcp', '/proc/net/tcp6'] as const;

/**
 * The uid that owns the client end of a connection made on this machine; null when no such
 * socket is listed (the client already gone, or on another machine or network namespace).
 * `read` is for tests (fixture text); by default the kernel's tables.
 */
export function loopbackClientOwner(
  ends: ConnectionEnds,
  read: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): number | null {
  const client = toBytes(ends.clientAddress);
  const server = toBytes(ends.serverAddress);
  if (!client || !server) return null;
  for (const file of TABLES) {
    let text: string;
    try {
      text = read(file);
    } catch {
      continue; // no IPv6 on this machine: no tcp6 table
    }
    for (const row of rowsWithPorts(text, ends.clientPort, ends.serverPort)) {
      if (
        row.local.port === ends.clientPort &&
        row.remote.port === ends.serverPort &&
        row.local.address.equals(client) &&
        row.remote.address.equals(server)
      ) {
        return row.uid;
      }
    }
  }
  return null;
}

/**
 * The rows of /proc/net/tcp or /proc/net/tcp6. The kernel prints each 32-bit word of an
 * address as a number in the machine's own byte order (little-endian on a Pi and a PC); lines
 * it cannot read are skipped.
 */
export function parseTcpTable(text: string, littleEndian = endianness() === 'LE'): TcpSocketRow[] {
  return text
    .split('\n')
    .slice(1)
    .flatMap((line) => parseTcpRow(line, littleEndian) ?? []);
}

function parseTcpRow(line: string, littleEndian = endianness() === 'LE'): TcpSocketRow | null {
  const fields = line.trim().split(/\s+/);
  const local = endpoint(fields[1], littleEndian);
  const remote = endpoint(fields[2], littleEndian);
  const uid = Number(fields[7]);
  if (!local || !remote || !Number.isInteger(uid) || uid < 0) return null;
  return { local, remote, uid };
}

/**
 * The rows of a table that name both ports, found by searching the text: any local user can make
 * the table long (two rows per connection of theirs), and parsing every row for every
 * connection to the screen kept the daemon's one thread from the cabinet.
 */
function rowsWithPorts(text: string, clientPort: number, serverPort: number): TcpSocketRow[] {
  // As the kernel prints a port after its address: four upper-case hex digits, then a space.
  const [client, server] = [clientPort, serverPort].map(
    (port) => `:${port.toString(16).toUpperCase().padStart(4, '0')} `,
  );
  if (client === undefined || server === undefined) return [];
  const rows: TcpSocketRow[] = [];
  for (let at = text.indexOf(client); at !== -1;) {
    const start = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    const row = start > 0 && line.includes(server) ? parseTcpRow(line) : null;
    if (row) rows.push(row);
    at = text.indexOf(client, end);
  }
  return rows;
}

function endpoint(
  field: string | undefined,
  littleEndian: boolean,
): { address: Buffer; port: number } | null {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(field ?? '');
  if (!match?.[1] || !match[2]) return null;
  const raw = Buffer.from(match[1], 'hex');
  if (littleEndian) {
    for (let word = 0; word < raw.length; word += 4) raw.subarray(word, word + 4).reverse();
  }
  return { address: raw.length === 4 ? mapped(raw) : raw, port: parseInt(match[2], 16) };
}

/** An IPv4 address as the IPv6 address that maps it, ::ffff:a.b.c.d. */
function mapped(v4: Buffer): Buffer {
  return Buffer.concat([Buffer.alloc(10), Buffer.from([0xff, 0xff]), v4]);
}

/** An address as Node prints it (IPv4, IPv6, IPv4-mapped IPv6) as 16 bytes; null if not one. */
export function toBytes(address: string): Buffer | null {
  const plain = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) is not part of it
  const kind = isIP(plain);
  if (kind === 4) return mapped(Buffer.from(plain.split('.').map(Number)));
  if (kind !== 6) return null;
  let text = plain;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${(((a ?? 0) << 8) | (b ?? 0)).toString(16)}:${(((c ?? 0) << 8) | (d ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups,
    ...Array<string>(tail === undefined ? 0 : missing).fill('0'),
    ...tailGroups,
  ];
  if (groups.length !== 8) return null;
  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

/**
 * The uid of a Unix user given by name or number, from the system's user database (`getent`,
 * so NSS users count too); null when there is no such user.
 */
export function userId(user: string): number | null {
  if (/^\d+$/.test(user)) return Number(user);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(user)) return null;
  try {
    const entry = execFileSync('getent', ['passwd', user], { encoding: 'utf8', timeout: 5000 });
    const uid = Number(entry.split(':')[2]);
    return Number.isInteger(uid) ? uid : null;
  } catch {
    return null;
  }
}
