import type { WebAccounts } from '../app/web-accounts/web-accounts.js';
import { accountsRoutes } from './accounts-routes.js';
import type { WebModule } from './create-web-server.js';
import { enforceCsrf } from './csrf.js';
import { sessionRoutes } from './session-routes.js';

/**
 * The console's accounts in the web server: sign-in and sessions, the administrators' account
 * management, and the CSRF check on every change of every route of the server (so it comes
 * before the other console modules). Goes with `sessionAuthenticator(accounts)` as the server's
 * `authenticate`.
 */
export function webAccountsModule(
  accounts: WebAccounts,
  options: { secure?: boolean } = {},
): WebModule {
  return (app) => {
    enforceCsrf(app, accounts);
    sessionRoutes(app, accounts, { secure: options.secure ?? false });
    accountsRoutes(app, accounts);
  };
}
