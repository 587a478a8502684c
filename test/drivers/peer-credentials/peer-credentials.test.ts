import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupId, peerCredentials } from '../../../drivers/peer-credentials/peer-credentials.js';

describe('peer credentials of a Unix socket connection', () => {
  let dir: string;
  let server: Server | undefined;
  const clients: Socket[] = [];

  afterEach(async () => {
    for (const c of clients) c.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('names this very process when it connects to itself: its pid, uid, gid and user', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-peercred-'));
    const path = join(dir, 'test.sock');
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer(resolve);
      server.listen(path);
    });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    clients.push(createConnection(path));
    const connection = await accepted;
    clients.push(connection);

    const me = userInfo();
    expect(peerCredentials(connection)).toEqual({
      pid: process.pid,
      uid: me.uid,
      gid: me.gid,
      user: me.username,
    });
  });

  it('refuses a socket that has no descriptor any more', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-peercred-'));
    const path = join(dir, 'test.sock');
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer(resolve);
      server.listen(path);
    });
    clients.push(createConnection(path));
    const connection = await accepted;
    connection.destroy();
    expect(() => peerCredentials(connection)).toThrow(/no file descriptor/);
  });
});

describe('group ids by name', () => {
  it('finds root, and says null for a group that does not exist', () => {
    expect(groupId('root')).toBe(0);
    expect(groupId('no-such-group-here')).toBeNull();
  });
});
