import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signInByApi,
  startConsoleServer,
  type ApiSession,
  type ConsoleServer,
} from '../support/console-server.js';

/**
 * The attack of another site open in a custodian's browser on the groups, key sets and reason
 * codes: a forged change with the custodian's own cookie but without the session's CSRF token,
 * with another session's token, or from a foreign origin, is refused and changes nothing.
 * (test/web/route-access.test.ts checks the missing token on every route; this checks the
 * other forgeries, and that nothing is left behind, on these routes with the real sign-in.)
 */
const PASSWORD = 'correct horse battery';
let server: ConsoleServer;
let maria: ApiSession;
let other: ApiSession;

beforeAll(async () => {
  server = await startConsoleServer({ listen: false });
  for (const account of ['maria', 'otto']) {
    await server.accounts.add('unix:test', { account, role: 'custodian', password: PASSWORD });
  }
  maria = await signInByApi(server.app, 'maria', PASSWORD);
  other = await signInByApi(server.app, 'otto', PASSWORD);
}, 60_000);
afterAll(async () => {
  await server.close();
});

const send = (
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) =>
  server.app.inject({
    method,
    url,
    headers: { cookie: maria.cookie, ...headers },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

const lists = async () =>
  Promise.all(
    ['/api/groups', '/api/key-sets', '/api/reason-codes'].map(async (url) =>
      (await server.app.inject({ url, headers: { cookie: maria.cookie } })).json<unknown>(),
    ),
  );

describe('forged changes to groups, key sets and reason codes', () => {
  it('are refused with 403 CSRF and change nothing', async () => {
    const made = await send(
      'POST',
      '/api/groups',
      { 'x-csrf-token': maria.csrfToken },
      {
        name: 'Night crew',
      },
    );
    expect(made.statusCode).toBe(201);
    const group = made.json<{ id: number }>().id;
    const before = await lists();
    const forgeries: Array<Record<string, string>> = [
      {},
      { 'x-csrf-token': other.csrfToken },
      { 'x-csrf-token': 'x'.repeat(maria.csrfToken.length) },
      { 'x-csrf-token': maria.csrfToken, origin: 'https://evil.example' },
      { 'x-csrf-token': maria.csrfToken, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of forgeries) {
      for (const [method, url, payload] of [
        ['POST', '/api/groups', { name: 'Mallory' }],
        ['PATCH', `/api/groups/${group}`, { name: 'Mallory' }],
        ['DELETE', `/api/groups/${group}`, undefined],
        ['POST', '/api/key-sets', { name: 'Mallory' }],
        ['POST', '/api/reason-codes', { code: '666', description: 'Mallory' }],
      ] as const) {
        const answer = await send(method, url, headers, payload);
        expect(answer.statusCode, `${method} ${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(answer.json<{ error: string }>().error).toBe('CSRF');
      }
    }
    expect(await lists()).toEqual(before);
  });
});
