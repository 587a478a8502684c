import type { FastifyRequest } from 'fastify';
import type { WebUser } from './web-context.js';

/**
 * The signed-in user of a route that is not public. The access check has refused the request
 * already when there is none; reaching here without one is a route declared 'public' by
 * mistake, answered as a failure rather than run in nobody's name.
 */
export function signedIn(request: FastifyRequest): WebUser {
  const user = request.webUser;
  if (user === null) throw new Error(`${request.url}: a signed-in route ran without a user`);
  return user;
}
