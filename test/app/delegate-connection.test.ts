import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_WAITING_REQUESTS,
  DelegateConnection,
  delegateClient,
  delegateOwnClient,
} from '../../src/app/delegate-connection.js';
import { isKeywardenError } from '../../src/errors.js';
import { DaemonProcess, writeCabinetFiles } from '../support/daemon-process.js';

/**
 * The web console's process's client of the daemon, against the daemon as a process: calls for
 * each signed-in person, the events feed, and a daemon that stops and comes back while the
 * console keeps running. The Unix user running the tests is the delegate `web-console`.
 */
let daemon: DaemonProcess;
let connection: DelegateConnection;
const alice = { account: 'alice', role: 'custodian' } as const;

beforeAll(async () => {
  const files = writeCabinetFiles({
    cabinetId: 'web-cab',
    brokerUrl: 'mqtt://127.0.0.1:1',
    badgePath: 'sim:badge',
    fobPath: 'sim:fob',
  });
  const config = JSON.parse(readFileSync(files.configFile, 'utf8')) as {
    custodians: { socket: string; accounts: unknown };
  };
  config.custodians.accounts = {
    [userInfo().username]: { account: 'web-console', role: 'admin', delegate: true },
  };
  writeFileSync(files.configFile, JSON.stringify(config));
  daemon = new DaemonProcess(files.configFile);
  await daemon.start();
  connection = new DelegateConnection(config.custodians.socket);
}, 30_000);

afterAll(async () => {
  connection?.close();
  await daemon?.stop();
});

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isKeywardenError(error)) throw new Error(`expected a KeywardenError, got ${String(error)}`);
  return { code: error.code, message: error.message };
};

describe('a client bound to one web user', () => {
  it('acts as <user>@<delegate>, and the feed shows it after the seq the page had', async () => {
    const feed = delegateOwnClient(connection);
    const { latestSeq: start } = await feed.events.after(0, 1);
    const client = delegateClient(connection, alice);
    expect(await client.account.current()).toEqual({
      account: 'alice@web-console',
      role: 'custodian',
    });
    const holderId = await client.holders.add('Dana Web', {});
    const names = await client.names();
    expect(names.holder(holderId)).toContain('Dana Web');

    const { events, latestSeq } = await feed.events.after(start, 100);
    expect(events.map((e) => e.type)).toEqual(['holder.added']);
    expect(events[0]).toMatchObject({
      seq: start + 1,
      data: { actor: { kind: 'custodian', account: 'alice@web-console' }, holderId },
    });
    expect(latestSeq).toBe(start + 1);
    expect(await feed.events.after(latestSeq, 100)).toEqual({ events: [], latestSeq });
  });

  it('bounds the feed and names what is wrong with a poll', async () => {
    const feed = delegateOwnClient(connection);
    expect(await failure(feed.events.after(0, 1001))).toEqual({
      code: 'USAGE',
      message: 'limit may be at most 1000, not 1001',
    });
    expect(await failure(feed.events.after(-1, 10))).toMatchObject({ code: 'USAGE' });
    expect(await failure(feed.events.after(0, 0))).toMatchObject({ code: 'USAGE' });
    const { events } = await feed.events.after(0, 2);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('cancels its own waiting request without disturbing the other pages', async () => {
    const client = delegateClient(connection, alice);
    const holderId = await client.holders.add('Card Waiter', {});
    const waiting = client.requests.enrolNextCard(holderId, 60_000);
    const gone = waiting.outcome.then(
      () => 'settled',
      (e: Error) => e.message,
    );
    // The request is on a line of its own: the shared line answers meanwhile.
    expect(await client.holders.show(holderId)).toMatchObject({ name: 'Card Waiter' });
    waiting.cancel();
    expect(await gone).toBe('requests.enrolNextCard was cancelled');
    expect(await client.account.current()).toMatchObject({ account: 'alice@web-console' });
  });

  it('keeps room for everyone else however many requests wait at the cabinet', async () => {
    const client = delegateClient(connection, alice);
    const holderId = await client.holders.add('Many Waits', {});
    const waiting = Array.from({ length: MAX_WAITING_REQUESTS }, () =>
      client.requests.enrolNextCard(holderId, 60_000),
    );
    const settled = waiting.map((w) => w.outcome.catch((e: Error) => e.message));
    let refused: unknown;
    try {
      client.requests.enrolNextCard(holderId, 60_000);
    } catch (error) {
      refused = error;
    }
    expect(isKeywardenError(refused, 'CONFLICT')).toBe(true);
    // The shared line is never crowded out.
    expect(await client.holders.show(holderId)).toMatchObject({ name: 'Many Waits' });
    for (const w of waiting) w.cancel();
    expect(await Promise.all(settled)).toEqual(
      waiting.map(() => 'requests.enrolNextCard was cancelled'),
    );
    // And once they are gone, a new one may wait again.
    const again = client.requests.enrolNextCard(holderId, 60_000);
    const gone = again.outcome.catch((e: Error) => e.message);
    again.cancel();
    expect(await gone).toBe('requests.enrolNextCard was cancelled');
  });

  it('fails at once while the daemon is down, and reconnects when it is back', async () => {
    const client = delegateClient(connection, alice);
    const holderId = await client.holders.add('Before Restart', {});
    // A request in flight when the daemon stops is told so, not left hanging.
    const waiting = failure(client.requests.enrolNextCard(holderId, 60_000).outcome);
    await expect(client.holders.list()).resolves.toBeDefined();
    await daemon.stop();
    expect(await waiting).toMatchObject({ code: 'DAEMON_UNAVAILABLE' });

    const startedAt = Date.now();
    expect(await failure(client.holders.list())).toEqual({
      code: 'DAEMON_UNAVAILABLE',
      message: expect.stringContaining('the cabinet daemon is not running') as string,
    });
    expect(Date.now() - startedAt).toBeLessThan(2_000);

    await daemon.start();
    expect(await client.holders.add('After Restart', {})).toBeGreaterThan(holderId);
  }, 30_000);
});
