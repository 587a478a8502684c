import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebModule } from '../../src/web/create-web-server.js';
import type { RouteAccess } from '../../src/web/web-context.js';
import { roleAllows, CUSTODIAN_ROLES } from '../../src/app/custodian-roles.js';
import {
  signInByApi,
  startConsoleServer,
  type ApiSession,
  type ConsoleServer,
} from '../support/console-server.js';

/**
 * Every route of the whole console, taken from fastify's router as it is built (an onRoute
 * collector registered before every console module), is checked here: a route added to a
 * console module later is checked without an edit to this file. For each route that is not
 * public: nobody signed in gets 401, an account whose role is below the route's gets 403, and a
 * change (any method but GET or HEAD) without the CSRF token gets 403 CSRF, even from an admin.
 */
interface SeenRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

const seen: SeenRoute[] = [];
const collector: WebModule = (app) => {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      seen.push({ method, url: route.url, access: route.config?.access });
    }
  });
};

let server: ConsoleServer;
const sessions = new Map<string, ApiSession>();
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  // The collector goes in first: it must see the routes every console module adds.
  server = await startConsoleServer({ listen: false, firstModules: [collector] });
  for (const role of CUSTODIAN_ROLES) {
    await server.accounts.add('unix:test', { account: `${role}1`, role, password: PASSWORD });
    sessions.set(role, await signInByApi(server.app, `${role}1`, PASSWORD));
  }
}, 60_000);
afterAll(async () => {
  await server.close();
});

/** A path with every parameter filled in, so the router matches the route. */
const concrete = (url: string): string =>
  url.replace(/:[A-Za-z0-9_]+/g, 'viewer1').replace(/\*$/, 'x');

const errorOf = (answer: { json<T>(): T }): string => answer.json<{ error: string }>().error;

const isChange = (method: string): boolean => method !== 'GET' && method !== 'HEAD';

describe('every route of the console', () => {
  it('was collected, and every one declares its access', () => {
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.filter((r) => r.access === undefined)).toEqual([]);
    // The known ones are there: the collector saw the accounts module's routes.
    expect(seen).toContainEqual({
      method: 'PATCH',
      url: '/api/accounts/:account',
      access: 'admin',
    });
  });

  it('answers 401 to a request with no session, on every route that is not public', async () => {
    const problems: string[] = [];
    for (const route of seen.filter((r) => r.access !== 'public')) {
      const answer = await server.app.inject({
        method: route.method,
        url: concrete(route.url),
      });
      if (answer.statusCode !== 401)
        problems.push(`${route.method} ${route.url}: ${answer.statusCode}`);
    }
    expect(problems).toEqual([]);
  });

  it('answers 403 to every role below the one a route needs, CSRF token and all', async () => {
    const problems: string[] = [];
    for (const route of seen.filter((r) => r.access !== 'public' && r.access !== undefined)) {
      for (const role of CUSTODIAN_ROLES) {
        if (roleAllows(role, route.access as (typeof CUSTODIAN_ROLES)[number])) continue;
        const session = sessions.get(role) as ApiSession;
        const answer = await server.app.inject({
          method: route.method,
          url: concrete(route.url),
          headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
          ...(isChange(route.method) ? { payload: {} } : {}),
        });
        // A HEAD answer has no body to read the code from.
        const code =
          answer.statusCode !== 403 ? '' : route.method === 'HEAD' ? 'FORBIDDEN' : errorOf(answer);
        if (code !== 'FORBIDDEN') {
          problems.push(`${role} ${route.method} ${route.url}: ${answer.statusCode} ${code}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses every change without the CSRF token, or with a wrong one, even from an admin', async () => {
    const admin = sessions.get('admin') as ApiSession;
    const problems: string[] = [];
    // The real token with its last character changed (to another one: a token ending in A
    // made "A" the real token again, one run in 64).
    const last = admin.csrfToken.slice(-1) === 'A' ? 'B' : 'A';
    const nearMiss = `${admin.csrfToken.slice(0, -1)}${last}`;
    for (const route of seen.filter((r) => isChange(r.method))) {
      for (const token of [undefined, 'not-the-token', nearMiss]) {
        const answer = await server.app.inject({
          method: route.method,
          url: concrete(route.url),
          headers: {
            cookie: admin.cookie,
            ...(token === undefined ? {} : { 'x-csrf-token': token }),
          },
          payload: {},
        });
        const code = answer.statusCode === 403 ? errorOf(answer) : '';
        if (code !== 'CSRF')
          problems.push(`${route.method} ${route.url} (${token}): ${answer.statusCode}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
