import { DEFAULT_CONFIG } from '../../src/config/config-defaults.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CustodianClient } from '../../src/app/custodian-client.js';
import { localCustodian } from '../../src/app/local-custodian.js';
import {
  openWebAccounts,
  type WebAccounts,
  type WebAccountsOptions,
} from '../../src/app/web-accounts/web-accounts.js';
import { createLogger } from '../../src/log/logger.js';
import { consoleModules } from '../../src/web/console-modules.js';
import { createWebServer, type WebModule } from '../../src/web/create-web-server.js';
import { sessionAuthenticator } from '../../src/web/session-authenticator.js';
import type { ClientFor } from '../../src/web/web-context.js';

/** scrypt at 1 MiB: for tests of what sign-in decides, not of what a guess costs. */
export const TEST_PASSWORD_COST = { N: 1024, r: 8, p: 1 };

export interface ConsoleServer {
  app: FastifyInstance;
  url: string;
  accounts: WebAccounts;
  dir: string;
  close(): Promise<void>;
}

/**
 * The whole console as `keywarden web` serves it (every module of consoleModules), with the
 * real sign-in: an accounts database and a cabinet database in a temp directory. `listen`
 * false: requests by `app.inject` only; `firstModules` come before the console's modules and
 * `extraModules` after them (tests' probes).
 */
export async function startConsoleServer(
  options: {
    accounts?: Omit<WebAccountsOptions, 'logger'>;
    secure?: boolean;
    listen?: boolean;
    /** Modules before the console's (a test's onRoute collector). */
    firstModules?: WebModule[];
    extraModules?: WebModule[];
    /**
     * Serve over HTTPS with this certificate (test/support/tls-certs.ts): an https server of
     * Node's handing every request to the app's router, as `keywarden web` does with tlsCert.
     */
    tls?: { cert: string; key: string };
    /** Reverse proxies whose X-Forwarded-For names the client (config web.trustProxy). */
    trustProxy?: string[];
  } = {},
): Promise<ConsoleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-console-'));
  const logger = createLogger({ level: 'silent', pretty: false });
  // Sign-in's rules are the same at any cost; a cheap scrypt keeps the many sign-ins of the web
  // tests quick on a loaded machine (test/app/web-accounts.test.ts checks the real cost).
  const accounts = openWebAccounts(join(dir, 'web.db'), {
    logger,
    passwordCost: TEST_PASSWORD_COST,
    ...options.accounts,
  });
  writeFileSync(join(dir, 'pin-pepper'), Buffer.alloc(32, 7), { mode: 0o600 });
  const opened = new Map<string, { client: CustodianClient; close(): void }>();
  const clientFor: ClientFor = (user) => {
    const key = `${user.account}/${user.role}`;
    let entry = opened.get(key);
    if (!entry) {
      entry = localCustodian(
        {
          database: join(dir, 'cabinet.db'),
          cabinetId: 'web-cab',
          slotCount: 8,
          pinPepperFile: join(dir, 'pin-pepper'),
          reader: {},
        },
        user,
      );
      opened.set(key, entry);
    }
    return entry.client;
  };
  const app = await createWebServer({
    logger,
    authenticate: sessionAuthenticator(accounts),
    modules: [
      ...(options.firstModules ?? []),
      ...consoleModules({
        accounts,
        clientFor,
        cabinet: { cabinetId: 'web-cab', timeZone: 'Europe/London', slotCount: 8 },
        policy: DEFAULT_CONFIG.policy,
        secure: options.secure ?? false,
      }),
      ...(options.extraModules ?? []),
    ],
    secure: options.secure ?? false,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
  });
  let url = '';
  let https: Server | undefined;
  if (options.tls) {
    https = createServer(
      { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) },
      (req, res) => app.routing(req, res),
    );
    const server = https;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  } else if (options.listen !== false) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }
  return {
    app,
    url,
    accounts,
    dir,
    close: async () => {
      https?.closeAllConnections();
      await new Promise((resolve) => (https ? https.close(resolve) : resolve(undefined)));
      await app.close();
      for (const entry of opened.values()) entry.close();
      accounts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A signed-in client of the API: its cookie and CSRF token, as the console's page holds them. */
export interface ApiSession {
  cookie: string;
  csrfToken: string;
}

/** The value of `kw_session` in a set-cookie header, as a Cookie header. */
export function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const all = [setCookie ?? []].flat();
  const found = all.find((c) => c.startsWith('kw_session='));
  if (!found) throw new Error(`no kw_session cookie in ${JSON.stringify(all)}`);
  return found.split(';')[0] ?? '';
}

/** Signs in through the API as the page does: GET /api/session, then POST it with the token. */
export async function signInByApi(
  app: FastifyInstance,
  account: string,
  password: string,
): Promise<ApiSession> {
  const first = await app.inject({ url: '/api/session' });
  const anonymous = sessionCookieOf(first.headers['set-cookie']);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { cookie: anonymous, 'x-csrf-token': first.json<{ csrfToken: string }>().csrfToken },
    payload: { account, password },
  });
  if (signedIn.statusCode !== 200) {
    throw new Error(`sign-in of ${account}: ${signedIn.statusCode} ${signedIn.body}`);
  }
  return {
    cookie: sessionCookieOf(signedIn.headers['set-cookie']),
    csrfToken: signedIn.json<{ csrfToken: string }>().csrfToken,
  };
}
