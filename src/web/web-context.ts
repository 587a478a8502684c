/**
 * What every request of the web server carries, and what every route must declare. The web
 * layer is an adapter, as the command line is: it reaches the cabinet only through the
 * application layer's CustodianClient, bound to the person signed in.
 */
import type { CustodianClient } from '../app/custodian-client.js';
import type { CustodianRole } from '../app/custodian-roles.js';

/**
 * Who may call a route: 'public' (no sign-in: the sign-in page and call, the page shells and
 * their assets, the cabinet screen on the daemon's loopback address), or the least role of a
 * signed-in user. A route without one is refused when it is registered, so none is forgotten.
 */
export type RouteAccess = 'public' | CustodianRole;

/** A signed-in person: the account their changes are recorded under, and its role. */
export interface WebUser {
  account: string;
  role: CustodianRole;
}

/** The application layer as one signed-in person may use it. */
export type ClientFor = (user: WebUser) => CustodianClient;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * A public route that acts for no session (the simulator's and the cabinet screen's
     * inputs, loopback only) and checks Host and Origin itself: the session's CSRF token, which
     * guards what a signed-in person may do, has nothing to guard there and is not asked for.
     */
    ownOriginChecks?: true;
  }
  interface FastifyRequest {
    /** Set on every route that is not public (the access check refuses the request otherwise). */
    webUser: WebUser | null;
  }
}
