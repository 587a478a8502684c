import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { RawSocketClient } from './raw-socket-client.js';

/**
 * Who may ask the running daemon for a custodian operation, played by an attacker on the Pi:
 * the daemon as a process, its real Unix socket, a hand-written client. The caller's identity is
 * the kernel's (SO_PEERCRED): the tests run as one Unix user, mapped differently per cabinet.
 */
const me = userInfo().username;

interface Cabinet {
  daemon: DaemonProcess;
  socket: string;
  database: string;
}

async function cabinetWith(accounts: Record<string, unknown>, cabinetId: string): Promise<Cabinet> {
  const files = writeCabinetFiles({
    cabinetId,
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as {
    custodians: { socket: string; accounts: unknown };
  };
  config.custodians.accounts = accounts;
  writeFileSync(files.configFile, JSON.stringify(config));
  const daemon = new DaemonProcess(files.configFile);
  await daemon.start();
  return { daemon, socket: config.custodians.socket, database: files.database };
}

function holderRows(database: string): unknown[] {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return db.prepare('SELECT name FROM holders').all();
  } finally {
    db.close();
  }
}

let stranger: Cabinet;
let viewer: Cabinet;

beforeAll(async () => {
  [stranger, viewer] = await Promise.all([
    // This user is not among the cabinet's custodians: only someone else is.
    cabinetWith({ 'someone-else': { account: 'sec', role: 'admin' } }, 'stranger-cab'),
    cabinetWith({ [me]: { account: 'vera', role: 'viewer' } }, 'viewer-cab'),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([stranger?.daemon.stop(), viewer?.daemon.stop()]);
});

describe('a local user who is not a custodian', () => {
  it('is told so and disconnected; what it sent is never carried out', async () => {
    const client = await RawSocketClient.connect(stranger.socket);
    client.send({ id: 1, op: 'holders.add', args: ['Mallory'] });
    await client.closed;
    expect(client.responses).toEqual([
      {
        id: null,
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `unix user ${me} is not a custodian of this cabinet (custodians.accounts)`,
        },
      },
    ]);
    expect(holderRows(stranger.database)).toEqual([]);
    // And the daemon's log says who tried (it reaches the test a moment after the refusal).
    await stranger.daemon.waitForLog((l) => l.msg.includes('is not a custodian') && l.user === me);
  });
});

describe('a viewer', () => {
  it('reads the listings, and is refused every change', async () => {
    const client = await RawSocketClient.connect(viewer.socket);
    client.send({ id: 1, op: 'holders.list', args: [] });
    client.send({ id: 2, op: 'holders.add', args: ['Mallory'] });
    client.send({ id: 3, op: 'csv.export', args: ['credentials', { cards: true }] });
    expect(await client.response(0)).toEqual({ id: 1, ok: true, result: [] });
    expect(await client.response(1)).toEqual({
      id: 2,
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'vera is a viewer: this needs the custodian role (custodians.accounts)',
      },
    });
    expect(await client.response(2)).toMatchObject({
      id: 3,
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    client.close();
    expect(holderRows(viewer.database)).toEqual([]);
  });

  it('cannot name someone else in the request: a request with an actor is refused whole', async () => {
    const client = await RawSocketClient.connect(viewer.socket);
    client.send({
      id: 1,
      op: 'holders.add',
      args: ['Mallory'],
      actor: { kind: 'custodian', account: 'sec' },
    });
    await client.closed;
    expect(client.responses).toEqual([
      {
        id: null,
        ok: false,
        error: {
          code: 'USAGE',
          message:
            'unknown field actor: a request has only id, op and args (who asks is taken from the socket)',
        },
      },
    ]);
    expect(holderRows(viewer.database)).toEqual([]);
  });
});
