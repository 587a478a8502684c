import Ajv from 'ajv';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { Logger } from '../log/logger.js';
import { enforceAccess, type Authenticate } from './access-control.js';
import { securityHeaders } from './security-headers.js';
import { serveUiAssets } from './ui-assets.js';
import { answerErrors } from './web-errors.js';
import './web-context.js';

/** A part of the web server: the console's API, the cabinet screen, the simulator page. */
export type WebModule = (app: FastifyInstance) => void | Promise<void>;

export interface WebServerOptions {
  logger: Logger;
  /** Who is signed in on a request (the session cookie's user), or null. */
  authenticate: Authenticate;
  modules: readonly WebModule[];
  /** Where the built bundles are; the package's dist/web/assets unless a test says. */
  assetsDirectory?: string;
  /** The largest request body, in bytes (a CSV import is the largest). */
  bodyLimit?: number;
  /** Behind TLS: cookies get the Secure flag. */
  secure?: boolean;
  /** Serve HTTPS with the site's certificate (`keywarden web` with web.tlsCert and web.tlsKey). */
  https?: { cert: Buffer; key: Buffer };
  /**
   * Addresses of reverse proxies (web.trustProxy): from them, `request.ip` is the client their
   * X-Forwarded-For adds; from anyone else the header is ignored. Unset or empty: trust none.
   */
  trustProxy?: readonly string[];
}

/** The largest body by default: a CSV import of a few thousand holders. */
export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * The web server, made of the modules it is given: `keywarden web` gives it the console, the
 * daemon the cabinet screen (and, in the demo, all three). Every route declares who may call it
 * (web-context.ts), every answer carries the security headers, every failure the same shape.
 */
export async function createWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  // Typed as fastify's own logger, so the instance is the plain FastifyInstance every module takes.
  const logger: FastifyBaseLogger = options.logger.child({ module: 'web' });
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    ...(options.trustProxy?.length ? { trustProxy: [...options.trustProxy] } : {}),
    loggerInstance: logger,
    // No log line per request: the journal of a Pi's SD card is not an access log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Ids in logs only; never echoed from a client's header.
    requestIdHeader: false,
    // Query strings like ?tag=a&tag=b parse the same way everywhere.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });
  useStrictBodies(app);
  await app.register(cookie);
  enforceAccess(app, options.authenticate);
  securityHeaders(app);
  answerErrors(app);
  serveUiAssets(app, options.assetsDirectory);
  for (const module of options.modules) await module(app);
  await app.ready();
  return app;
}

/**
 * A JSON body is taken as sent: `{"holderId": "7"}` is refused, not quietly turned into 7, so a
 * browser bug or a hand-made request cannot change a record it did not name exactly. Only the
 * query string and the path, which are text by nature, are converted to the numbers and
 * booleans their schemas say.
 */
function useStrictBodies(app: FastifyInstance): void {
  const options = { allErrors: false, removeAdditional: false, useDefaults: true } as const;
  const strict = new Ajv.default({ ...options, coerceTypes: false });
  const coercing = new Ajv.default({ ...options, coerceTypes: true });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
}
