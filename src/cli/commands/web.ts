import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  DelegateConnection,
  delegateClient,
  type ClientFor,
} from '../../app/delegate-connection.js';
import { KeywardenError } from '../../errors.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { SdNotify } from '../../platform/sd-notify.js';
import type { Authenticate } from '../../web/access-control.js';
import type { WebModule } from '../../web/create-web-server.js';
import type { KeywardenConfig } from '../../config/config.js';
import type { HardwareProfile } from '../../config/profile.js';
import type { Command } from '../command.js';
import { loadSetup } from '../context.js';

/** What the console is made of, given its way to the cabinet: who is signed in, and its pages. */
export interface WebConsoleParts {
  authenticate: Authenticate;
  modules: WebModule[];
  /** Closes what the parts opened (the accounts database). */
  close?(): void;
}

/**
 * The console's parts: its accounts database (sign-in and sessions), and every console module
 * (src/web/console-modules.ts), each given `clientFor`.
 */
export async function webConsoleParts(
  config: KeywardenConfig,
  profile: HardwareProfile,
  clientFor: ClientFor,
  options: { logger: Logger; secure: boolean },
): Promise<WebConsoleParts> {
  // Loaded here, not with the command line (see startWebConsole).
  const [{ consoleModules }, { sessionAuthenticator }, { openWebAccounts }] = await Promise.all([
    import('../../web/console-modules.js'),
    import('../../web/session-authenticator.js'),
    import('../../app/web-accounts/web-accounts.js'),
  ]);
  const accounts = openWebAccounts(config.web.accountsDatabase, { logger: options.logger });
  return {
    authenticate: sessionAuthenticator(accounts),
    modules: consoleModules({
      accounts,
      clientFor,
      cabinet: {
        cabinetId: config.cabinetId,
        timeZone: config.cabinet.timeZone,
        slotCount: profile.slotCount,
      },
      policy: config.policy,
      secure: options.secure,
    }),
    close: () => accounts.close(),
  };
}

/** Where the console listens, and with which certificate: checked before anything opens. */
export interface WebListen {
  host: string;
  port: number;
  https?: { cert: Buffer; key: Buffer };
  /** The daemon's custodian socket (custodians.socket), as the command line reaches it. */
  socket: string;
  /** Reverse proxies whose X-Forwarded-For names the client (web.trustProxy); none: []. */
  trustProxy: string[];
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

const invalid = (message: string) => new KeywardenError('CONFIG_INVALID', message);

/**
 * The web section checked for what the schema cannot say: a certificate needs its key, plain
 * HTTP is refused on anything but a loopback address (custodians' passwords and session cookies
 * would cross the network in clear), and the daemon's socket must be named.
 */
export function webListen(config: KeywardenConfig): WebListen {
  const { host, port, tlsCert, tlsKey } = config.web;
  const socket = config.custodians.socket;
  const trustProxy = [...config.web.trustProxy];
  trustProxy.forEach((address, index) => {
    // An address, not a name or a range: a typo must not trust more than was meant.
    if (isIP(address) === 0) {
      throw invalid(`web.trustProxy[${index}]: "${address}" is not an IP address`);
    }
  });
  if (socket === null) {
    throw invalid(
      'custodians.socket: keywarden web reaches the daemon through its custodian socket; name it (/run/keywarden/custodian.sock)',
    );
  }
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    const missing = tlsCert === undefined ? 'web.tlsCert' : 'web.tlsKey';
    throw invalid(`${missing}: is required when the other of web.tlsCert and web.tlsKey is set`);
  }
  if (tlsCert === undefined || tlsKey === undefined) {
    if (!isLoopbackHost(host)) {
      throw invalid(
        `web.host: ${host} is not a loopback address, and plain HTTP would send passwords and session cookies in clear; set web.tlsCert and web.tlsKey, or listen on 127.0.0.1`,
      );
    }
    return { host, port, socket, trustProxy };
  }
  const read = (field: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw invalid(`${field}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    }
  };
  return {
    host,
    port,
    socket,
    trustProxy,
    https: { cert: read('web.tlsCert', tlsCert), key: read('web.tlsKey', tlsKey) },
  };
}

export interface RunningConsole {
  app: FastifyInstance;
  /** Where it listens, e.g. https://0.0.0.0:8443 */
  url: string;
  /** Stops listening, then hangs up on the daemon. */
  close(): Promise<void>;
}

/**
 * The console's process minus its signals: the web server over a delegate connection to the
 * daemon (each signed-in person's calls carried as theirs), listening where the config says.
 * The console does not need the daemon to start: pages say when it is down.
 */
export async function startWebConsole(options: {
  config: KeywardenConfig;
  logger: Logger;
  /** The cabinet's hardware profile (its slots), as the config names it. */
  profile: HardwareProfile;
  parts?: (clientFor: ClientFor) => WebConsoleParts | Promise<WebConsoleParts>;
}): Promise<RunningConsole> {
  const { config, profile, logger } = options;
  const listen = webListen(config);
  const connection = new DelegateConnection(listen.socket);
  const clientFor: ClientFor = (user) => delegateClient(connection, user);
  const parts = await (
    options.parts ??
    ((c) => webConsoleParts(config, profile, c, { logger, secure: listen.https !== undefined }))
  )(clientFor);
  let app: FastifyInstance;
  try {
    // Loaded here, not with the command line: fastify and Ajv are for this command alone, and
    // the daemon's start (which drives the outputs off first) must not wait for them.
    const { createWebServer } = await import('../../web/create-web-server.js');
    app = await createWebServer({
      logger,
      authenticate: parts.authenticate,
      modules: parts.modules,
      secure: listen.https !== undefined,
      trustProxy: listen.trustProxy,
      ...(listen.https ? { https: listen.https } : {}),
    });
    await app.listen({ host: listen.host, port: listen.port });
  } catch (error) {
    parts.close?.();
    connection.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const url = `${listen.https ? 'https' : 'http'}://${host}:${port}`;
  logger.info({ module: 'web', url, socket: listen.socket }, 'web console listening');
  return {
    app,
    url,
    close: async () => {
      await app.close();
      parts.close?.();
      connection.close();
    },
  };
}

export const webCommand: Command = {
  path: ['web'],
  summary: "run the custodians' web console (its own process, reaching the daemon's socket)",
  usage: 'web [--config <file>]',
  async run(args) {
    const { config, profile } = loadSetup(args);
    const logger = createLogger({ level: config.log.level });
    const running = await startWebConsole({ config, profile, logger });
    const notify = SdNotify.fromEnvironment({ env: process.env, pid: process.pid, logger });
    await notify?.ready();
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ module: 'web', signal }, 'web console stopping');
        void (notify?.stopping() ?? Promise.resolve())
          .then(() => running.close())
          .then(resolve, (error: unknown) => {
            logger.error({ module: 'web', err: error }, 'web console did not stop cleanly');
            resolve();
          });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    logger.info({ module: 'web' }, 'web console stopped');
    return 0;
  },
};
