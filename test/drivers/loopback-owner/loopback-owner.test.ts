import { createServer, connect, type Server, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loopbackClientOwner,
  parseTcpTable,
  toBytes,
  userId,
  type ConnectionEnds,
} from '../../../drivers/loopback-owner/loopback-owner.js';

/**
 * Fixture tables as a little-endian Linux prints them: the kiosk's browser (uid 1001) connected
 * from 127.0.0.1:40000 and [::1]:40001 to the screen at port 8090 (0x1F9A), whose own sockets
 * belong to the daemon (uid 999); a stranger (uid 1003) connected from 127.0.0.1:40002 to a
 * server listening on :: (the daemon's end then shows in tcp6 as ::ffff:127.0.0.1).
 */
const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP = [
  HEADER,
  '   0: 0100007F:1F9A 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 1001 1 0000000000000000 100 0 0 10 0',
  '   1: 0100007F:9C40 0100007F:1F9A 01 00000000:00000000 00:00000000 00000000  1001        0 1002 1 0000000000000000 20 4 30 10 -1',
  '   2: 0100007F:1F9A 0100007F:9C40 01 00000000:00000000 00:00000000 00000000   999        0 1003 1 0000000000000000 20 4 30 10 -1',
  '   3: 0100007F:9C42 0100007F:1F9A 01 00000000:00000000 00:00000000 00000000  1003        0 1004 1 0000000000000000 20 4 30 10 -1',
  'a line the kernel never printed',
].join('\n');
const TCP6 = [
  HEADER,
  '   0: 00000000000000000000000001000000:9C41 00000000000000000000000001000000:1F9A 01 00000000:00000000 00:00000000 00000000  1001        0 2001 1 0000000000000000 20 4 30 10 -1',
  '   1: 00000000000000000000000001000000:1F9A 00000000000000000000000001000000:9C41 01 00000000:00000000 00:00000000 00000000   999        0 2002 1 0000000000000000 20 4 30 10 -1',
  '   2: 0000000000000000FFFF00000100007F:1F9A 0000000000000000FFFF00000100007F:9C42 01 00000000:00000000 00:00000000 00000000   999        0 2003 1 0000000000000000 20 4 30 10 -1',
].join('\n');

const fixture = (file: string): string => (file.endsWith('tcp6') ? TCP6 : TCP);
const ends = (client: string, clientPort: number, server: string): ConnectionEnds => ({
  clientAddress: client,
  clientPort,
  serverAddress: server,
  serverPort: 8090,
});

describe('the owner of a loopback connection, from /proc/net/tcp and tcp6', () => {
  it("finds the client end's owner over IPv4, not the server end's", () => {
    expect(loopbackClientOwner(ends('127.0.0.1', 40000, '127.0.0.1'), fixture)).toBe(1001);
  });

  it('finds it over IPv6 (::1)', () => {
    expect(loopbackClientOwner(ends('::1', 40001, '::1'), fixture)).toBe(1001);
  });

  it('finds an IPv4 client of a server on :: that sees it as ::ffff:127.0.0.1', () => {
    expect(loopbackClientOwner(ends('::ffff:127.0.0.1', 40002, '::ffff:127.0.0.1'), fixture)).toBe(
      1003,
    );
  });

  it('answers null for a connection it does not list, and for something not an address', () => {
    expect(loopbackClientOwner(ends('127.0.0.1', 40009, '127.0.0.1'), fixture)).toBeNull();
    expect(loopbackClientOwner(ends('not an address', 40000, '127.0.0.1'), fixture)).toBeNull();
    expect(loopbackClientOwner(ends('127.0.0.1', 40000, '127.0.0.1'), () => '')).toBeNull();
    const missing = (file: string): string => {
      if (file.endsWith('tcp6')) throw new Error('ENOENT');
      return TCP;
    };
    expect(loopbackClientOwner(ends('127.0.0.1', 40000, '127.0.0.1'), missing)).toBe(1001);
  });

  it('reads a big-endian machine’s table in its own byte order', () => {
    const big = `${HEADER}\n   0: 7F000001:9C40 7F000001:1F9A 01 00000000:00000000 00:00000000 00000000  1001 0 1`;
    const [row] = parseTcpTable(big, false);
    expect(row?.local.address.equals(toBytes('127.0.0.1') ?? Buffer.alloc(0))).toBe(true);
    expect(row).toMatchObject({ local: { port: 40000 }, remote: { port: 8090 }, uid: 1001 });
  });

  it('writes every form of an address as the same 16 bytes', () => {
    const hex = (address: string) => toBytes(address)?.toString('hex');
    expect(hex('127.0.0.1')).toBe('00000000000000000000ffff7f000001');
    expect(hex('::ffff:127.0.0.1')).toBe(hex('127.0.0.1'));
    expect(hex('::ffff:7f00:1')).toBe(hex('127.0.0.1'));
    expect(hex('::1')).toBe('00000000000000000000000000000001');
    expect(hex('fe80::1%eth0')).toBe('fe800000000000000000000000000001');
    expect(hex('2001:db8:0:0:1:0:0:1')).toBe('20010db8000000000001000000000001');
    expect(toBytes('localhost')).toBeNull();
  });
});

describe('a real connection on this machine', () => {
  let server: Server | undefined;
  let client: Socket | undefined;
  afterEach(async () => {
    client?.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  /** The server's view of a connection this process makes to it. */
  async function connectTo(listenHost: string, connectHost: string): Promise<ConnectionEnds> {
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer(resolve);
    });
    await new Promise<void>((resolve) => server?.listen(0, listenHost, resolve));
    const address = server?.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    client = connect(port, connectHost);
    const socket = await accepted;
    return {
      clientAddress: socket.remoteAddress ?? '',
      clientPort: socket.remotePort ?? 0,
      serverAddress: socket.localAddress ?? '',
      serverPort: socket.localPort ?? 0,
    };
  }

  it("is found with this process's uid, over IPv4", async () => {
    expect(loopbackClientOwner(await connectTo('127.0.0.1', '127.0.0.1'))).toBe(process.getuid?.());
  });

  it("is found with this process's uid, over IPv6 and IPv4 to a server on ::", async () => {
    expect(loopbackClientOwner(await connectTo('::1', '::1'))).toBe(process.getuid?.());
    client?.destroy();
    await new Promise((resolve) => server?.close(resolve));
    const mapped = await connectTo('::', '127.0.0.1');
    expect(mapped.clientAddress).toBe('::ffff:127.0.0.1');
    expect(loopbackClientOwner(mapped)).toBe(process.getuid?.());
  });
});

describe('a Unix user by name or number', () => {
  it('gives the uid of a user of the system, and null for none', () => {
    const me = userInfo();
    expect(userId(me.username)).toBe(me.uid);
    expect(userId(String(me.uid))).toBe(me.uid);
    expect(userId('no-such-user-kw')).toBeNull();
    expect(userId('root; rm -rf /')).toBeNull();
  });
});
