import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CustodianClient } from '../../src/app/custodian-client.js';
import { localCustodian } from '../../src/app/local-custodian.js';
import { createLogger } from '../../src/log/logger.js';
import { createWebServer, type WebModule } from '../../src/web/create-web-server.js';
import { cabinetInfoModule } from '../../src/web/routes/cabinet-info.js';
import { consolePageModule } from '../../src/web/routes/console-page.js';
import type { ClientFor, WebUser } from '../../src/web/web-context.js';

export interface WebHarness {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  database: string;
  dir: string;
  /** The application layer as `user` uses it (what the routes are given). */
  clientFor: ClientFor;
  /** Who the next requests are from; null: nobody signed in. */
  signIn(user: WebUser | null): void;
  /** Who is signed in now: what the server's `authenticate` answers (for the live stream). */
  user(): WebUser | null;
  close(): Promise<void>;
}

/**
 * The web server on a loopback port over a fresh cabinet database in a temp directory, with the
 * application layer opened in this process (as the demo daemon does) and a stand-in for the
 * sign-in: whoever `signIn` named is the request's user. For tests of routes and pages; the
 * sign-in itself is tested on its own.
 */
export async function startWebHarness(options: {
  modules: (clientFor: ClientFor, signedIn: () => WebUser | null) => WebModule[];
  user?: WebUser | null;
  slotCount?: number;
  /**
   * Also serve the console's page, GET /api/cabinet and a stand-in GET /api/session naming the
   * harness's user (the real session module is tested on its own), for page tests.
   */
  console?: boolean;
}): Promise<WebHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'keywarden-web-'));
  const database = join(dir, 'cabinet.db');
  writeFileSync(join(dir, 'pin-pepper'), Buffer.alloc(32, 7), { mode: 0o600 });
  const slotCount = options.slotCount ?? 8;
  const opened = new Map<string, { client: CustodianClient; close(): void }>();
  const clientFor: ClientFor = (user) => {
    const key = `${user.account}/${user.role}`;
    let entry = opened.get(key);
    if (!entry) {
      entry = localCustodian(
        {
          database,
          cabinetId: 'web-cab',
          slotCount,
          pinPepperFile: join(dir, 'pin-pepper'),
          reader: {},
        },
        user,
      );
      opened.set(key, entry);
    }
    return entry.client;
  };
  let user: WebUser | null =
    options.user === undefined ? { account: 'carol', role: 'admin' } : options.user;
  const app = await createWebServer({
    logger: createLogger({ level: 'warn', pretty: false }),
    authenticate: () => user,
    modules: [
      ...(options.console
        ? [
            consolePageModule,
            cabinetInfoModule({ cabinetId: 'web-cab', timeZone: 'Europe/London', slotCount }),
            standInSession(() => user),
          ]
        : []),
      ...options.modules(clientFor, () => user),
    ],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    database,
    dir,
    clientFor,
    signIn: (next) => {
      user = next;
    },
    user: () => user,
    close: async () => {
      await app.close();
      for (const entry of opened.values()) entry.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET /api/session as the console's shell asks it, answered with the harness's user. */
function standInSession(user: () => WebUser | null): WebModule {
  return (app) => {
    app.get('/api/session', { config: { access: 'public' } }, () => ({
      user: user(),
      csrfToken: 'harness-token',
    }));
  };
}
