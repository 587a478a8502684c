import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONNECTIONS_PER_USER } from '../../src/daemon/services/custodian-socket.js';
import { MAX_REQUEST_BYTES } from '../../src/app/custodian-protocol.js';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { cliCabinet } from '../support/custodian-cabinet.js';
import { runCli } from '../support/run-cli.js';
import { waitFor } from '../support/wait-for.js';
import { RawSocketClient } from './raw-socket-client.js';

/**
 * A custodian's account abused, and the socket's place tampered with: the daemon as a process,
 * its real Unix socket. The Unix user running the tests is custodian carol (admin).
 */
let daemon: DaemonProcess;
let files: ReturnType<typeof writeCabinetFiles>;
let socket: string;

const cli = (...args: string[]) => runCli([...args, '--config', files.configFile]);

function recorded(): Array<{ type: string; actor: unknown }> {
  const db = new BetterSqlite3(files.database, { readonly: true });
  try {
    return (
      db.prepare("SELECT type, payload FROM events WHERE type LIKE 'holder.%'").all() as Array<{
        type: string;
        payload: string;
      }>
    ).map((r) => ({
      type: r.type,
      actor: (JSON.parse(r.payload) as { data: { actor: unknown } }).data.actor,
    }));
  } finally {
    db.close();
  }
}

/** One listing asked on a new connection: true when it is answered. */
async function answered(path: string): Promise<boolean> {
  const client = await RawSocketClient.connect(path);
  client.send({ id: 1, op: 'holders.list', args: [] });
  const response = await client.response(0).catch(() => undefined);
  client.close();
  await client.closed;
  return response?.ok === true;
}

function cabinetFiles(cabinetId: string) {
  const made = writeCabinetFiles({
    cabinetId,
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  const config = JSON.parse(readFileSync(made.configFile, 'utf8')) as {
    custodians: { socket: string };
  };
  return { ...made, config, socket: config.custodians.socket };
}

beforeAll(async () => {
  const made = cabinetFiles('abuse-cab');
  files = made;
  socket = made.socket;
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
}, 60_000);

afterAll(async () => {
  await daemon?.stop();
});

describe('--as naming someone else', () => {
  it('is refused, and the change is recorded under the account of the Unix user who ran it', async () => {
    const forged = await cli('holder', 'add', '--name', 'Mallory', '--as', 'sec');
    expect(forged.code).toBe(1);
    expect(forged.err).toContain(
      '--as sec: your changes are recorded as carol, the account of your Unix user',
    );
    expect(recorded()).toEqual([]);

    expect(await cli('holder', 'add', '--name', 'Dana')).toMatchObject({ code: 0 });
    expect(recorded()).toEqual([
      { type: 'holder.added', actor: { kind: 'custodian', account: 'carol' } },
    ]);
    // It went through the daemon: the database was never opened by the command line.
    await daemon.waitForLog(
      (l) => l.msg === 'custodian change' && l.account === 'carol' && l.op === 'holders.add',
    );
  });
});

describe('--as with the daemon stopped', () => {
  it('is refused all the same: whoever opens the database is recorded as themselves', async () => {
    const cab = cliCabinet();
    const forged = await runCli([
      'holder',
      'add',
      '--name',
      'Mallory',
      '--as',
      'sec',
      '--config',
      cab.config,
    ]);
    expect(forged.code).toBe(1);
    expect(forged.err).toContain('--as sec: your changes are recorded as carol');
    expect(cab.events()).toEqual([]);
  });
});

describe('an oversized request', () => {
  it('is refused once it passes the limit, without waiting for its end; the daemon serves on', async () => {
    const client = await RawSocketClient.connect(socket);
    // No newline: a line that never ends must not be held in memory whole.
    client.socket.write(Buffer.alloc(MAX_REQUEST_BYTES + 65_536, 'a'));
    await client.closed;
    expect(client.responses).toEqual([
      {
        id: null,
        ok: false,
        error: {
          code: 'USAGE',
          message: `a request may be at most ${MAX_REQUEST_BYTES} bytes; nothing was done`,
        },
      },
    ]);
    expect(await answered(socket)).toBe(true);
  });
});

describe('a flood of connections', () => {
  it('gets a few served at once; the rest are told to wait and closed, and the socket recovers', async () => {
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => RawSocketClient.connect(socket)),
    );
    await Promise.all(
      flood.map(async (c) => {
        c.send({ id: 1, op: 'holders.list', args: [] });
        return c.response(0).catch(() => undefined);
      }),
    );
    const served = flood.filter((c) => c.responses[0]?.ok === true);
    const turnedAway = flood.filter((c) => c.responses[0]?.error?.code === 'FORBIDDEN');
    // At most the per-user bound (fewer while the daemon still counts an earlier test's
    // connection it has not yet seen close); every other one turned away, none left hanging.
    expect(served.length).toBeGreaterThan(0);
    expect(served.length).toBeLessThanOrEqual(MAX_CONNECTIONS_PER_USER);
    expect(turnedAway.length).toBe(20 - served.length);
    expect(turnedAway[0]?.responses[0]?.error?.message).toBe(
      'too many custodian connections at once: try again shortly',
    );
    for (const c of flood) c.close();
    // The daemon counts a connection out when it sees it close: a moment after the client.
    await waitFor(() => answered(socket), 'a connection served once the flood has gone');
  });
});

describe("the socket's place tampered with", () => {
  it('a symlink left at the socket path: the daemon refuses to start and follows nothing', async () => {
    const made = cabinetFiles('symlink-cab');
    const target = join(made.dir, 'precious.txt');
    writeFileSync(target, 'precious');
    symlinkSync(target, made.socket);
    const tricked = new DaemonProcess(made.configFile);
    await expect(tricked.start()).rejects.toThrow(/exited while starting \(78\)/);
    expect(tricked.logs.map((l) => JSON.stringify(l)).join('\n')).toContain(
      'exists and is not a socket (a symlink)',
    );
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(lstatSync(made.socket).isSymbolicLink()).toBe(true);
  });

  it('a directory others may write to: the daemon refuses to put its socket there', async () => {
    const made = cabinetFiles('open-dir-cab');
    const open = join(made.dir, 'run');
    mkdirSync(open);
    chmodSync(open, 0o777);
    made.config.custodians.socket = join(open, 'custodian.sock');
    writeFileSync(made.configFile, JSON.stringify(made.config));
    const tricked = new DaemonProcess(made.configFile);
    await expect(tricked.start()).rejects.toThrow(/exited while starting \(78\)/);
    expect(tricked.logs.map((l) => JSON.stringify(l)).join('\n')).toContain(
      `${dirname(made.config.custodians.socket)} is writable by others (mode 777)`,
    );
  });

  it('a socket it cannot give to its group: the daemon exits at once with 78, no socket left', async () => {
    const made = cabinetFiles('no-group-cab');
    writeFileSync(
      made.configFile,
      JSON.stringify({
        ...made.config,
        custodians: { ...made.config.custodians, socketGroup: 'keywarden-no-such-group' },
      }),
    );
    const refused = new DaemonProcess(made.configFile);
    await expect(refused.start()).rejects.toThrow(/exited while starting \(78\)/);
    expect(refused.logs.map((l) => JSON.stringify(l)).join('\n')).toContain(
      'no group named keywarden-no-such-group',
    );
    expect(existsSync(made.socket)).toBe(false);
  });

  it("a second daemon on the cabinet stops at the lock and leaves the first one's socket alone", async () => {
    const second = new DaemonProcess(files.configFile);
    await expect(second.start()).rejects.toThrow(/exited while starting \(75\)/);
    expect(await answered(socket)).toBe(true);
  });
});
