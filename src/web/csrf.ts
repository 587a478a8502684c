import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameToken, type WebAccounts } from '../app/web-accounts/web-accounts.js';
import { sessionOf } from './session-authenticator.js';
import { sessionToken } from './session-cookie.js';

/** The header the console's fetch wrapper sends with every change. */
export const CSRF_HEADER = 'x-csrf-token';

/** Requests that change nothing: the only ones that need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every change (any method but GET and HEAD) must prove it comes from the console's own page:
 * the `x-csrf-token` header equal to the token of the request's session (or, before sign-in, the
 * token bound to the browser's cookie), which another site's page cannot read; and when the
 * browser says where the request comes from (Origin, Sec-Fetch-Site), that is this server. A
 * forged form or fetch from another site is refused with 403 `CSRF` before its handler runs.
 * SameSite=Strict already keeps the cookie off such requests; this holds where it does not (an
 * old browser, a sibling site on the same host).
 */
export function enforceCsrf(app: FastifyInstance, accounts: WebAccounts): void {
  app.addHook('onRequest', async (request, reply) => {
    if (SAFE_METHODS.has(request.method)) return;
    // No route matched: the not-found answer changes nothing.
    if (request.routeOptions.config.access === undefined) return;
    if (
      request.routeOptions.config.ownOriginChecks &&
      request.routeOptions.config.access === 'public'
    ) {
      return;
    }
    const refused = csrfRefusal(request, accounts);
    if (refused !== null) {
      request.log.warn({ url: request.url, method: request.method }, `CSRF refused: ${refused}`);
      return reply.code(403).send({ error: 'CSRF', message: refused });
    }
  });
}

function csrfRefusal(request: FastifyRequest, accounts: WebAccounts): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    return 'the request came from another site; nothing was changed';
  }
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return 'the request came from another site; nothing was changed';
  }
  const expected = expectedCsrfToken(request, accounts);
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || expected === null || !sameToken(given, expected)) {
    return 'the x-csrf-token header is missing or wrong (reload the page); nothing was changed';
  }
  return null;
}

/** The session's token; before sign-in, the one bound to the cookie; null without a cookie. */
export function expectedCsrfToken(request: FastifyRequest, accounts: WebAccounts): string | null {
  const session = sessionOf(request, accounts);
  if (session) return session.csrfToken;
  const token = sessionToken(request);
  return token === undefined ? null : accounts.anonymousCsrf(token);
}
