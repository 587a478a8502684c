import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sessionCookieOf,
  startConsoleServer,
  type ConsoleServer,
} from '../support/console-server.js';

/**
 * The guessing rules through the real sign-in route (POST /api/session), each request from the
 * client address a test names, on a fake clock: what an attacker and the owner are told.
 */
const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;
let now = Date.parse('2026-12-07T09:00:00Z');
let server: ConsoleServer;

beforeAll(async () => {
  server = await startConsoleServer({ listen: false, accounts: { now: () => now } });
  for (const account of ['ada', 'bob', 'cyd']) {
    await server.accounts.add('unix:test', { account, role: 'custodian', password: PASSWORD });
  }
}, 60_000);
afterAll(async () => {
  await server.close();
});

/** A sign-in from a browser at `address`: its own cookie and CSRF token first. */
async function signInFrom(
  address: string,
  account: string,
  password: string,
  options: { app?: ConsoleServer['app']; forwardedFor?: string } = {},
) {
  const app = options.app ?? server.app;
  const forwarded = options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {};
  const first = await app.inject({
    url: '/api/session',
    remoteAddress: address,
    headers: forwarded,
  });
  return app.inject({
    method: 'POST',
    url: '/api/session',
    remoteAddress: address,
    headers: {
      ...forwarded,
      cookie: sessionCookieOf(first.headers['set-cookie']),
      'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken,
    },
    payload: { account, password },
  });
}

describe('guessing at the sign-in route', () => {
  it("locks the attacker's address out while the owner signs in from another", async () => {
    const attacker = '203.0.113.66';
    for (let i = 1; i <= 4; i++) {
      const answer = await signInFrom(attacker, 'ada', `wrong password ${i}`);
      expect(answer.statusCode).toBe(401);
      now += 2 * MINUTE;
    }
    const locked = await signInFrom(attacker, 'ada', 'wrong password 5');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
    expect(locked.json()).toEqual({
      error: 'LOCKED',
      message: 'too many wrong passwords from this address: locked for 15 more minutes',
    });
    expect((await signInFrom(attacker, 'ada', PASSWORD)).json()).toMatchObject({
      error: 'LOCKED',
    });
    const owner = await signInFrom('192.168.1.20', 'ada', PASSWORD);
    expect(owner.statusCode).toBe(200);
    expect(owner.json()).toMatchObject({ user: { account: 'ada' } });
  });

  it("slows the owner's own typos by seconds, then lets the right password in", async () => {
    const home = '192.168.1.21';
    for (let i = 1; i <= 3; i++) {
      expect((await signInFrom(home, 'bob', `typo number ${i}`)).statusCode).toBe(401);
    }
    const slowed = await signInFrom(home, 'bob', PASSWORD);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['retry-after']).toBe('10');
    expect(slowed.json()).toEqual({
      error: 'SLOWED',
      message: 'too many wrong passwords: try again in 10 seconds',
    });
    now += 10_000;
    expect((await signInFrom(home, 'bob', PASSWORD)).statusCode).toBe(200);
  });

  it('slows an attacker rotating addresses at the ceiling; the owner passes where they signed in before', async () => {
    const home = '192.168.1.22';
    expect((await signInFrom(home, 'cyd', PASSWORD)).statusCode).toBe(200);
    for (let i = 1; i <= 50; i++) {
      const answer = await signInFrom(`198.51.100.${i}`, 'cyd', `wrong password ${i}`);
      expect(answer.statusCode).toBe(401);
    }
    const ceiling = await signInFrom('198.51.100.200', 'cyd', 'wrong password 51');
    expect(ceiling.statusCode).toBe(429);
    expect(ceiling.headers['retry-after']).toBe('900');
    expect(ceiling.json()).toEqual({
      error: 'SLOWED',
      message: 'too many wrong passwords: try again in 15 minutes',
    });
    expect((await signInFrom(home, 'cyd', PASSWORD)).statusCode).toBe(200);
    // A name without an account is answered alike at its own ceiling.
    for (let i = 1; i <= 50; i++) {
      await signInFrom(`198.51.101.${i}`, 'nobody', `wrong password ${i}`);
    }
    const ghost = await signInFrom('198.51.101.200', 'nobody', 'wrong password 51');
    expect(ghost.json()).toEqual(ceiling.json());
  });
});

describe('behind a reverse proxy (web.trustProxy)', () => {
  it("counts each client by the proxy's X-Forwarded-For, and believes no one else's", async () => {
    const proxied = await startConsoleServer({
      listen: false,
      trustProxy: ['10.0.0.2'],
      accounts: { now: () => now },
    });
    try {
      await proxied.accounts.add('unix:test', {
        account: 'ada',
        role: 'custodian',
        password: PASSWORD,
      });
      const viaProxy = (client: string, password: string) =>
        signInFrom('10.0.0.2', 'ada', password, { app: proxied.app, forwardedFor: client });
      for (let i = 1; i <= 5; i++) {
        await viaProxy('203.0.113.66', `wrong password ${i}`);
        now += 2 * MINUTE;
      }
      expect((await viaProxy('203.0.113.66', PASSWORD)).json()).toMatchObject({ error: 'LOCKED' });
      // The owner behind the same proxy is another client.
      expect((await viaProxy('192.168.1.20', PASSWORD)).statusCode).toBe(200);
      // A client that is not the proxy cannot pick the address it is counted as.
      const direct = (password: string) =>
        signInFrom('203.0.113.66', 'ada', password, {
          app: proxied.app,
          forwardedFor: '192.168.1.99',
        });
      expect((await direct(PASSWORD)).json()).toMatchObject({ error: 'LOCKED' });
    } finally {
      await proxied.close();
    }
  });
});
