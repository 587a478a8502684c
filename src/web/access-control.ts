import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows } from '../app/custodian-roles.js';
import type { RouteAccess, WebUser } from './web-context.js';

/** Who is asking: the signed-in user of the request's session, or null. */
export type Authenticate = (request: FastifyRequest) => Promise<WebUser | null> | WebUser | null;

const ACCESS_VALUES: ReadonlySet<string> = new Set<RouteAccess>([
  'public',
  'viewer',
  'custodian',
  'admin',
]);

/**
 * Every route declares who may call it (`config.access`); a route that does not is refused as
 * it is registered, so the server does not start with it. Then each request to a route that is
 * not public is refused before its handler runs unless a user is signed in (401) with at least
 * the route's role (403).
 */
export function enforceAccess(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('webUser', null);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: unknown } | undefined)?.access;
    if (typeof access !== 'string' || !ACCESS_VALUES.has(access)) {
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no config.access ('public' or a role)`,
      );
    }
  });
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    // No route matched (a 404 is answered by the not-found handler) or a public one.
    if (access === undefined || access === 'public') return;
    const user = await authenticate(request);
    if (user === null) {
      return reply.code(401).send({ error: 'UNAUTHENTICATED', message: 'sign in first' });
    }
    if (!roleAllows(user.role, access)) {
      return reply
        .code(403)
        .send({ error: 'FORBIDDEN', message: `this needs the ${access} role or above` });
    }
    request.webUser = user;
  });
}
