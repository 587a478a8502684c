import type { FastifyRequest } from 'fastify';
import type { CustodianClient } from '../../app/custodian-client.js';
import type { ClientFor } from '../web-context.js';

/**
 * The application layer as the request's signed-in user may use it. Only called on routes that
 * are not public, where the access check has set `webUser` (or refused the request); a route
 * that calls it while public is a programming error, and says so rather than acting for nobody.
 */
export function signedInClient(clientFor: ClientFor, request: FastifyRequest): CustodianClient {
  if (request.webUser === null) throw new Error(`${request.url}: no signed-in user on this route`);
  return clientFor(request.webUser);
}
