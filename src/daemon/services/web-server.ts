import type { RecordedEvent } from '../../domain/events.js';
import type { Authenticate } from '../../web/access-control.js';
import type { DemoLogin } from './demo-console.js';
import type { ScreenFeed } from '../../domain/screen/screen-input.js';
import type { SimCabinet } from '../../sim/sim-cabinet.js';
import { listKeys } from '../../store/custodian/keys.js';
import type { Database } from '../../store/database.js';
import type { WebModule } from '../../web/create-web-server.js';
import type { DemoBadge } from '../../web/ui/sim/sim-view.js';
import type { CabinetRunner } from '../cabinet-runner.js';
import type { DaemonContext } from '../daemon-context.js';
import type { DemoCards } from '../demo-data.js';
import type { Service } from '../service.js';

/** Where the web server listens, if it could. */
export interface RunningWebServer {
  url: string;
  /** The demo console's sign-in, new at every start. */
  login?: DemoLogin | undefined;
}

export interface WebServerParts {
  /** The modules to serve, built once the server's code is loaded; given the listen address. */
  modules: (listenHost: string) => Promise<readonly WebModule[]>;
  /** Who is signed in (the console's sessions); unset: nobody, only public routes answer. */
  authenticate?: Authenticate;
  /** The demo console's sign-in, to print. */
  login?: DemoLogin;
  /** Closes what the parts opened (the console's accounts database), after the server. */
  close?: () => void;
}

/**
 * The demo's web server (`run --demo`): the simulator page, and whatever other modules it is
 * given (the cabinet screen, the console), on `web.host`:`web.port`, 127.0.0.1:8080 by default.
 * Like the simulator's control interface it is an accessory: a port already taken, or a host
 * that is not a loopback address, is logged and the cabinet runs on without it. Started after
 * the simulator and the custodian socket, stopped before them.
 */
export function webServerService(
  context: DaemonContext,
  parts: WebServerParts,
): Service<RunningWebServer | undefined> {
  let close: (() => Promise<void>) | undefined;
  return {
    name: 'web server',
    async start() {
      const { config, logger } = context;
      const log = logger.child({ module: 'daemon' });
      const { host, port } = config.web;
      // Loaded only when served: a cabinet without the demo does not carry fastify in memory.
      const [{ createWebServer }, { isLoopbackAddress }] = await Promise.all([
        import('../../web/create-web-server.js'),
        import('../../web/routes/sim.js'),
      ]);
      if (!isLoopbackAddress(host)) {
        // The demo's pages open the cabinet without a sign-in: never on a network address.
        log.warn({ host }, 'web server not started: the demo serves on a loopback address only');
        return undefined;
      }
      const app = await createWebServer({
        logger,
        authenticate: parts.authenticate ?? (() => null),
        modules: await parts.modules(host),
      });
      try {
        await app.listen({ host, port });
      } catch (err) {
        log.warn({ err, host, port }, 'web server not started');
        await app.close();
        parts.close?.();
        return undefined;
      }
      close = async () => {
        const closed = app.close();
        // A browser keeps spare connections open that never carried a request, and the server
        // would wait for them: at the daemon's stop nothing more is answered anyway.
        app.server.closeAllConnections();
        await closed;
        parts.close?.();
      };
      const address = app.server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
      log.info({ url }, 'web server listening');
      if (parts.login) {
        // Demo only, loopback only, new at every start: the person trying the demo reads it here
        // or in the terminal's banner.
        log.info(
          { url, account: parts.login.account, demoPassword: parts.login.password },
          `demo console: sign in at ${url} as ${parts.login.account} / ${parts.login.password}`,
        );
      }
      return { url, login: parts.login };
    },
    async stop() {
      await close?.();
    },
  };
}

/** The demo holders' cards, as the simulator page offers them (seeded by demo-data.ts). */
export function demoBadges(cards: DemoCards): readonly DemoBadge[] {
  return [
    { name: 'Alice Example', card: cards.alice, note: 'slots 1–6' },
    { name: 'Bob Example', card: cards.bob, note: 'slots 5–10' },
    { name: 'Carol Example', card: cards.carol, note: 'disabled: refused' },
  ];
}

/** The demo's modules: the simulator page over the running simulated cabinet. */
export function demoWebModules(parts: {
  sim: SimCabinet;
  cards: DemoCards;
  db: Database;
  runner: CabinetRunner;
  screen: ScreenFeed;
}): WebServerParts['modules'] {
  return async (listenHost) => {
    const [{ simModule }, { cabinetScreenRoutes }] = await Promise.all([
      import('../../web/routes/sim.js'),
      import('../../web/routes/cabinet-screen.js'),
    ]);
    const { sim, db, runner } = parts;
    return [
      // The demo's server is on loopback only (webServerService refuses another host).
      cabinetScreenRoutes(parts.screen, { loopbackOnly: true }),
      simModule({
        sim,
        listenHost,
        demoBadges: demoBadges(parts.cards),
        keys: () =>
          listKeys({ db }).flatMap((key) =>
            key.tag === null ? [] : [{ tag: key.tag, label: key.label, homeSlot: key.homeSlot }],
          ),
        onRecorded: (listener: (events: readonly RecordedEvent[]) => void) => {
          runner.on('recorded', listener);
          return () => runner.off('recorded', listener);
        },
      }),
    ];
  };
}
