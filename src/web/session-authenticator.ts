import type { FastifyRequest } from 'fastify';
import type { WebAccounts } from '../app/web-accounts/web-accounts.js';
import type { Authenticate } from './access-control.js';
import { sessionToken } from './session-cookie.js';
import type { WebUser } from './web-context.js';

export interface SessionLookup {
  user: WebUser;
  csrfToken: string;
}

/** One database read per request, shared by the access check and the CSRF check. */
const looked = new WeakMap<FastifyRequest, SessionLookup | null>();

/** The live session of the request's cookie, or null. */
export function sessionOf(request: FastifyRequest, accounts: WebAccounts): SessionLookup | null {
  let found = looked.get(request);
  if (found === undefined) {
    found = accounts.session(sessionToken(request));
    looked.set(request, found);
  }
  return found;
}

/** createWebServer's `authenticate`: the person signed in with the request's session cookie. */
export function sessionAuthenticator(accounts: WebAccounts): Authenticate {
  return (request) => sessionOf(request, accounts)?.user ?? null;
}

/**
 * The person signed in with the request's session cookie as the accounts say now, never the
 * answer remembered for the request: for what outlives its request (a live stream), which must
 * end when its session does (signed out, expired, the account disabled or its password changed).
 */
export function currentSessionAuthenticator(accounts: WebAccounts): Authenticate {
  return (request) => accounts.session(sessionToken(request))?.user ?? null;
}
