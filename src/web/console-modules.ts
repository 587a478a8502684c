import type { WebAccounts } from '../app/web-accounts/web-accounts.js';
import { webAccountsModule } from './accounts-module.js';
import type { WebModule } from './create-web-server.js';
import { openApiModule } from './openapi.js';
import { cabinetInfoModule, type CabinetInfo } from './routes/cabinet-info.js';
import { consolePageModule } from './routes/console-page.js';
import { keysAndRecordsModules } from './routes/keys-and-records.js';
import type { PolicyValues } from './routes/policy-settings.js';
import { overviewAndPeopleModules } from './routes/overview-and-people.js';
import { currentSessionAuthenticator } from './session-authenticator.js';
import type { ClientFor } from './web-context.js';

/** What the console's modules are built from. */
export interface ConsoleParts {
  accounts: WebAccounts;
  /** The application layer as the signed-in person may use it. */
  clientFor: ClientFor;
  /** Which cabinet, its time zone and size (GET /api/cabinet). */
  cabinet: CabinetInfo;
  /** The config's policy values, which the rules page shows (read-only: the config owns them). */
  policy: PolicyValues;
  /** Served under TLS: the session cookie is Secure. */
  secure?: boolean;
}

/**
 * Every module of the custodians' console, in order: `keywarden web` and the demo serve these,
 * and the route enumeration test (test/web/route-access.test.ts) checks every route they make,
 * so a route added to a module here is checked without a test edit. OpenAPI first (it learns of
 * the routes after it as they are added), then the accounts (its CSRF check covers what follows).
 */
export function consoleModules(parts: ConsoleParts): WebModule[] {
  return [
    openApiModule(),
    webAccountsModule(parts.accounts, { secure: parts.secure ?? false }),
    consolePageModule,
    cabinetInfoModule(parts.cabinet),
    // The overview (with its live stream, which asks the accounts afresh at every poll, so it
    // ends with its session), people and the contractor in one step.
    ...overviewAndPeopleModules(parts.clientFor, currentSessionAuthenticator(parts.accounts)),
    // Keys and rules, the event log, the reports and the CSV import.
    ...keysAndRecordsModules(parts.clientFor, {
      cabinetId: parts.cabinet.cabinetId,
      policy: parts.policy,
    }),
  ];
}
