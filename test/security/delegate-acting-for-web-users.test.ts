import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELEGATE_CONNECTIONS } from '../../src/daemon/services/custodian-socket.js';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';
import { RawSocketClient } from './raw-socket-client.js';

/**
 * The web console's process reaches the daemon as a delegate account and names the signed-in
 * person on each request. Played by an attacker with a hand-written client on the real socket
 * of the daemon as a process: a custodian who is no delegate naming someone, a web user (or a
 * fault in the web process) claiming more than the delegate holds or a name that could pass
 * for someone else's, many web users through one delegate. The tests run as one Unix user,
 * mapped to a delegate on one cabinet and to an ordinary custodian on the other.
 */
const me = userInfo().username;

interface Cabinet {
  daemon: DaemonProcess;
  socket: string;
  database: string;
  configFile: string;
}

function cabinetFiles(accounts: Record<string, unknown>, cabinetId: string) {
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
  return { ...files, socket: config.custodians.socket };
}

async function cabinetWith(accounts: Record<string, unknown>, cabinetId: string): Promise<Cabinet> {
  const files = cabinetFiles(accounts, cabinetId);
  const daemon = new DaemonProcess(files.configFile);
  await daemon.start();
  return { daemon, ...files };
}

/** Who each holder change was recorded under, in order. */
function holderActors(database: string): Array<{ name: string; account: string }> {
  const db = new BetterSqlite3(database, { readonly: true });
  try {
    return (
      db.prepare("SELECT payload FROM events WHERE type = 'holder.added' ORDER BY seq").all() as {
        payload: string;
      }[]
    ).map((r) => {
      const { data } = JSON.parse(r.payload) as {
        data: { name: string; actor: { account: string } };
      };
      return { name: data.name, account: data.actor.account };
    });
  } finally {
    db.close();
  }
}

let web: Cabinet;
let plain: Cabinet;

beforeAll(async () => {
  [web, plain] = await Promise.all([
    cabinetWith(
      { [me]: { account: 'web-console', role: 'custodian', delegate: true } },
      'delegate-cab',
    ),
    cabinetWith({ [me]: { account: 'carol', role: 'admin' } }, 'plain-cab'),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([web?.daemon.stop(), plain?.daemon.stop()]);
});

describe('a custodian who is not a delegate', () => {
  it('cannot name someone: a request with `as` is refused whole, as any unknown field', async () => {
    const client = await RawSocketClient.connect(plain.socket);
    client.send({
      id: 1,
      op: 'holders.add',
      args: ['Mallory'],
      as: { account: 'alice', role: 'viewer' },
    });
    await client.closed;
    expect(client.responses).toEqual([
      {
        id: null,
        ok: false,
        error: {
          code: 'USAGE',
          message:
            'unknown field as: a request has only id, op and args (who asks is taken from the socket)',
        },
      },
    ]);
    expect(holderActors(plain.database)).toEqual([]);
  });
});

describe('a delegate', () => {
  it("records a web user's change under <person>@<delegate>, and its own without `as`", async () => {
    const client = await RawSocketClient.connect(web.socket);
    const alice = { account: 'alice', role: 'custodian' };
    client.send({ id: 1, op: 'account.current', args: [], as: alice });
    client.send({ id: 2, op: 'holders.add', args: ['Dana Web'], as: alice });
    client.send({ id: 3, op: 'account.current', args: [] });
    expect(await client.response(0)).toEqual({
      id: 1,
      ok: true,
      result: { account: 'alice@web-console', role: 'custodian' },
    });
    expect(await client.response(1)).toMatchObject({ id: 2, ok: true });
    expect(await client.response(2)).toEqual({
      id: 3,
      ok: true,
      result: { account: 'web-console', role: 'custodian' },
    });
    client.close();
    expect(holderActors(web.database)).toContainEqual({
      name: 'Dana Web',
      account: 'alice@web-console',
    });
    await web.daemon.waitForLog(
      (l) => l.msg === 'custodian change' && l.account === 'alice@web-console',
    );
  });

  it('cannot lend a role above its own, and a person gets no more than theirs', async () => {
    const client = await RawSocketClient.connect(web.socket);
    const before = holderActors(web.database);
    // The delegate is a custodian: an admin claim is a custodian's, and tier rules need admin.
    client.send({
      id: 1,
      op: 'tiers.set',
      args: ['master', { pin: false }],
      as: { account: 'mallory', role: 'admin' },
    });
    client.send({
      id: 2,
      op: 'account.current',
      args: [],
      as: { account: 'mallory', role: 'admin' },
    });
    // A viewer through a custodian delegate stays a viewer.
    client.send({
      id: 3,
      op: 'holders.add',
      args: ['Eve'],
      as: { account: 'vic', role: 'viewer' },
    });
    expect(await client.response(0)).toEqual({
      id: 1,
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message:
          'mallory@web-console is a custodian: this needs the admin role (custodians.accounts)',
      },
    });
    expect(await client.response(1)).toMatchObject({
      result: { account: 'mallory@web-console', role: 'custodian' },
    });
    expect(await client.response(2)).toMatchObject({
      id: 3,
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: expect.stringContaining('vic@web-console is a viewer') as string,
      },
    });
    client.close();
    expect(holderActors(web.database)).toEqual(before);
  });

  it('refuses a malformed `as` by name, request by request; the connection and nothing else changes', async () => {
    const client = await RawSocketClient.connect(web.socket);
    const before = holderActors(web.database);
    const bad: Array<[unknown, string]> = [
      // Would read as the custodian sec, or as someone through another delegate.
      [{ account: 'sec@web-console', role: 'custodian' }, 'as.account'],
      [{ account: 'carol@other', role: 'custodian' }, 'as.account'],
      [{ account: '', role: 'custodian' }, 'as.account'],
      [{ account: '../../etc', role: 'custodian' }, 'as.account'],
      [{ account: 'a'.repeat(65), role: 'custodian' }, 'as.account'],
      [{ account: 'ali ce', role: 'custodian' }, 'as.account'],
      [{ account: 42, role: 'custodian' }, 'as.account'],
      [{ account: 'alice', role: 'root' }, 'as.role'],
      [{ account: 'alice' }, 'as.role'],
      [{ account: 'alice', role: 'custodian', kind: 'central' }, 'as has only account and role'],
      ['alice', 'as must be an object'],
      [null, 'as must be an object'],
      [['alice', 'admin'], 'as must be an object'],
    ];
    bad.forEach(([as], i) =>
      client.send({ id: i + 1, op: 'holders.add', args: [`Mallory ${i}`], as }),
    );
    client.send({ id: 99, op: 'holders.list', args: [], as: { account: 'alice', role: 'viewer' } });
    for (const [i, [, field]] of bad.entries()) {
      const response = await client.response(i);
      expect(response).toMatchObject({ id: i + 1, ok: false, error: { code: 'USAGE' } });
      expect(response.error?.message).toContain(field);
    }
    expect(await client.response(bad.length)).toMatchObject({ id: 99, ok: true });
    client.close();
    expect(holderActors(web.database)).toEqual(before);
  });

  it('carries many web users over its own connections, each change under its own name', async () => {
    // More connections than an ordinary custodian's 4, up to its own limit; one more is refused.
    const clients = await Promise.all(
      Array.from({ length: MAX_DELEGATE_CONNECTIONS }, () => RawSocketClient.connect(web.socket)),
    );
    // Each connection answers before the next one is opened, so every one is counted.
    for (const client of clients) {
      client.send({ id: 0, op: 'account.current', args: [] });
      expect(await client.response(0)).toMatchObject({ ok: true });
    }
    const extra = await RawSocketClient.connect(web.socket);
    await extra.closed;
    expect(extra.responses[0]).toMatchObject({
      id: null,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('too many') as string },
    });

    const people = Array.from({ length: 60 }, (_, i) => `user${i}`);
    const before = holderActors(web.database).length;
    const answers = await Promise.all(
      people.map((person, i) => {
        const client = clients[i % clients.length] as RawSocketClient;
        const id = 1 + Math.floor(i / clients.length);
        client.send({
          id,
          op: 'holders.add',
          args: [`Holder of ${person}`],
          as: { account: person, role: 'custodian' },
        });
        return client.response(id);
      }),
    );
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    for (const client of clients) client.close();
    const recorded = holderActors(web.database).slice(before);
    expect(recorded).toHaveLength(people.length);
    expect(new Set(recorded.map((r) => `${r.name}|${r.account}`))).toEqual(
      new Set(people.map((p) => `Holder of ${p}|${p}@web-console`)),
    );
  });
});

describe("the operator's config", () => {
  it('is refused at start when a custodian account reads like a web user of a delegate', async () => {
    const files = cabinetFiles(
      {
        [me]: { account: 'web-console', role: 'custodian', delegate: true },
        'someone-else': { account: 'alice@web-console', role: 'admin' },
      },
      'lookalike-cab',
    );
    const daemon = new DaemonProcess(files.configFile);
    await expect(daemon.start()).rejects.toThrow(/alice@web-console would read as a person/);
    expect(await daemon.exited()).toBe(78);
  });
});
