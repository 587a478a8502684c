import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sessionCookieOf,
  signInByApi,
  startConsoleServer,
  type ApiSession,
  type ConsoleServer,
} from '../support/console-server.js';

const PASSWORD = 'correct horse battery';
let server: ConsoleServer;

beforeAll(async () => {
  server = await startConsoleServer({ listen: false });
  await server.accounts.add('unix:test', { account: 'ada', role: 'admin', password: PASSWORD });
  await server.accounts.add('unix:test', { account: 'vic', role: 'viewer', password: PASSWORD });
}, 60_000);
afterAll(async () => {
  await server.close();
});

const setCookie = (answer: LightMyRequestResponse): string =>
  [answer.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('kw_session=')) ?? '';

/** A browser before sign-in: its cookie and the CSRF token bound to it. */
async function anonymous(): Promise<ApiSession> {
  const answer = await server.app.inject({ url: '/api/session' });
  expect(answer.json()).toMatchObject({ user: null });
  return {
    cookie: sessionCookieOf(answer.headers['set-cookie']),
    csrfToken: answer.json<{ csrfToken: string }>().csrfToken,
  };
}

function signIn(as: ApiSession, account: string, password: string, headers = {}) {
  return server.app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { cookie: as.cookie, 'x-csrf-token': as.csrfToken, ...headers },
    payload: { account, password },
  });
}

const call = (
  session: ApiSession,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) =>
  server.app.inject({
    method,
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    ...(payload === undefined ? {} : { payload }),
  });

describe('signing in to the console', () => {
  it('gives a browser an HttpOnly, SameSite=Strict cookie, and a new one at sign-in', async () => {
    const before = await anonymous();
    const first = await server.app.inject({ url: '/api/session' });
    expect(setCookie(first)).toMatch(/^kw_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const answer = await signIn(before, 'ada', PASSWORD);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      user: { account: 'ada', role: 'admin' },
      csrfToken: expect.stringMatching(/^[\w-]{43}$/) as string,
    });
    const cookie = setCookie(answer);
    expect(cookie).toMatch(/; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain('Secure');
    // Not the token the browser had before: a token planted before sign-in gains nothing.
    expect(cookie.split(';')[0]).not.toBe(before.cookie);
    const session = { cookie: cookie.split(';')[0] ?? '', csrfToken: '' };
    const who = await call(session, 'GET', '/api/session');
    expect(who.json()).toMatchObject({ user: { account: 'ada', role: 'admin' } });
  });

  it('marks the cookie Secure when the server runs under TLS', async () => {
    const secure = await startConsoleServer({ listen: false, secure: true });
    try {
      const answer = await secure.app.inject({ url: '/api/session' });
      expect(setCookie(answer)).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    } finally {
      await secure.close();
    }
  });

  it('answers an unknown account exactly as a wrong password', async () => {
    const browser = await anonymous();
    const wrong = await signIn(browser, 'ada', 'not the password');
    const unknown = await signIn(browser, 'nobody-here', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json()).toEqual({ error: 'SIGN_IN_FAILED', message: 'wrong account or password' });
  });

  it('refuses a sign-in without the CSRF token, or from another site', async () => {
    const browser = await anonymous();
    const noToken = await server.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { cookie: browser.cookie },
      payload: { account: 'ada', password: PASSWORD },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ error: 'CSRF' });
    // The token of another browser's cookie is not this one's.
    const other = await anonymous();
    const swapped = await signIn(
      { cookie: browser.cookie, csrfToken: other.csrfToken },
      'ada',
      PASSWORD,
    );
    expect(swapped.json()).toMatchObject({ error: 'CSRF' });
    for (const headers of [
      { origin: 'http://evil.example' },
      // The server's port on another host name, or another port: not this server's origin.
      { origin: 'http://127.0.0.1:80' },
      { origin: 'http://localhost:8080' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const answer = await signIn(browser, 'ada', PASSWORD, headers);
      expect(answer.statusCode, JSON.stringify(headers)).toBe(403);
      expect(answer.json()).toMatchObject({ error: 'CSRF' });
    }
    const sameOrigin = await signIn(browser, 'ada', PASSWORD, {
      origin: 'http://localhost:80',
      host: 'localhost:80',
      'sec-fetch-site': 'same-origin',
    });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it('names the field a sign-in gets wrong', async () => {
    const browser = await anonymous();
    const answer = await server.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
      payload: { account: 'ada', password: 12345678901234 },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toEqual({
      error: 'USAGE',
      message: 'body/password must be string; nothing was changed',
    });
  });

  it('signs out: the session is over and its cookie gets nothing', async () => {
    const session = await signInByApi(server.app, 'vic', PASSWORD);
    expect((await call(session, 'DELETE', '/api/session')).json()).toMatchObject({ user: null });
    expect((await call(session, 'GET', '/api/session')).json()).toMatchObject({ user: null });
    expect((await call(session, 'DELETE', '/api/session')).statusCode).toBe(401);
  });
});

describe('accounts in the console', () => {
  it('lets an administrator add, change and disable accounts, each naming what is wrong', async () => {
    const admin = await signInByApi(server.app, 'ada', PASSWORD);
    const added = await call(admin, 'POST', '/api/accounts', {
      account: 'carl',
      role: 'custodian',
      password: PASSWORD,
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ account: 'carl', role: 'custodian', disabled: false });
    expect(added.body).not.toContain('scrypt');
    const bad = [
      [{ account: 'dan', role: 'root', password: PASSWORD }, /^body\/role must be equal to one/],
      [{ account: 'dan', role: 'viewer', password: 'short' }, /^password must be at least 12/],
      [{ account: 'd an', role: 'viewer', password: PASSWORD }, /^body\/account must match/],
      [{ account: 'dan', role: 'viewer', password: PASSWORD, admin: true }, /additional/],
    ] as const;
    for (const [body, message] of bad) {
      const answer = await call(admin, 'POST', '/api/accounts', body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json<{ message: string }>().message).toMatch(message);
    }
    expect((await call(admin, 'PATCH', '/api/accounts/carl', { disabled: 'true' })).json()).toEqual(
      {
        error: 'USAGE',
        message: 'body/disabled must be boolean; nothing was changed',
      },
    );
    const carl = await signInByApi(server.app, 'carl', PASSWORD);
    const disabled = await call(admin, 'PATCH', '/api/accounts/carl', { disabled: true });
    expect(disabled.json()).toMatchObject({ account: 'carl', disabled: true });
    expect((await call(carl, 'GET', '/api/session')).json()).toMatchObject({ user: null });
    const list = await call(admin, 'GET', '/api/accounts');
    expect(list.json<{ accounts: { account: string }[] }>().accounts.map((a) => a.account)).toEqual(
      ['ada', 'carl', 'vic'],
    );
    const events = await call(admin, 'GET', '/api/accounts/events?limit=2');
    expect(events.json()).toMatchObject({
      events: [
        { actor: 'ada', action: 'account.disabled', account: 'carl' },
        { actor: 'ada', action: 'account.added', account: 'carl', detail: { role: 'custodian' } },
      ],
    });
  });

  it('lets an auditor read nothing of the accounts and change nothing', async () => {
    const auditor = await signInByApi(server.app, 'vic', PASSWORD);
    for (const [method, url, body] of [
      ['GET', '/api/accounts', undefined],
      ['POST', '/api/accounts', { account: 'eve', role: 'admin', password: PASSWORD }],
      ['PATCH', '/api/accounts/vic', { role: 'admin' }],
      ['PATCH', '/api/accounts/ada', { password: 'eve owns this now' }],
    ] as const) {
      const answer = await call(auditor, method, url, body);
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
      expect(answer.json()).toMatchObject({ error: 'FORBIDDEN' });
    }
    expect(server.accounts.list().find((a) => a.account === 'vic')?.role).toBe('viewer');
    expect(server.accounts.list().some((a) => a.account === 'eve')).toBe(false);
  });

  it("changes one's own password with the current one: other sessions end, this one goes on", async () => {
    await server.accounts.add('unix:test', { account: 'fay', role: 'viewer', password: PASSWORD });
    const phone = await signInByApi(server.app, 'fay', PASSWORD);
    const desk = await signInByApi(server.app, 'fay', PASSWORD);
    const wrong = await call(desk, 'POST', '/api/account/password', {
      currentPassword: 'not it at all',
      newPassword: 'a brand new passphrase',
    });
    expect(wrong.json()).toMatchObject({ error: 'WRONG_PASSWORD' });
    const changed = await call(desk, 'POST', '/api/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.statusCode).toBe(200);
    const renewed = {
      cookie: sessionCookieOf(changed.headers['set-cookie']),
      csrfToken: changed.json<{ csrfToken: string }>().csrfToken,
    };
    expect((await call(phone, 'GET', '/api/session')).json()).toMatchObject({ user: null });
    expect((await call(desk, 'GET', '/api/session')).json()).toMatchObject({ user: null });
    expect((await call(renewed, 'GET', '/api/session')).json()).toMatchObject({
      user: { account: 'fay' },
    });
  });
});
