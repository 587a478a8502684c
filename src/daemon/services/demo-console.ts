import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { KeywardenConfig } from '../../config/config.js';
import { DEFAULT_WEB_ACCOUNTS_DATABASE } from '../../config/config-schema.js';
import type { WebAccounts } from '../../app/web-accounts/web-accounts.js';
import { isKeywardenError } from '../../errors.js';
import type { Authenticate } from '../../web/access-control.js';
import type { WebModule } from '../../web/create-web-server.js';
import type { DaemonContext } from '../daemon-context.js';
import { inProcessConsoleClients, type SocketDeps } from './custodian-socket.js';

/** The demo's console sign-in: printed at start, never a fixed password. */
export interface DemoLogin {
  account: string;
  password: string;
}

export interface DemoConsole {
  authenticate: Authenticate;
  modules: WebModule[];
  login: DemoLogin;
  close(): void;
}

export const DEMO_CONSOLE_ACCOUNT = 'demo';

/**
 * The custodians' console as the demo daemon serves it itself (`run --demo`, on loopback only):
 * the console's accounts in `web.accountsDatabase`, the application layer in this process
 * through the same delegate naming as `keywarden web` (changes recorded as
 * `demo@web-console`), and an administrator `demo` whose password is new and random at every
 * start: a demo left running is never open with a password from the documentation.
 * Undefined when the accounts database cannot be opened (logged).
 */
export async function openDemoConsole(
  context: DaemonContext,
  deps: SocketDeps,
  slotCount: number,
): Promise<DemoConsole | undefined> {
  const { config, logger } = context;
  const file = demoAccountsFile(config);
  if (file === undefined) return undefined;
  const [{ openWebAccounts }, { consoleModules }, { sessionAuthenticator }] = await Promise.all([
    import('../../app/web-accounts/web-accounts.js'),
    import('../../web/console-modules.js'),
    import('../../web/session-authenticator.js'),
  ]);
  let accounts: WebAccounts;
  try {
    accounts = openWebAccounts(file, {
      logger: logger.child({ module: 'web-accounts' }),
    });
  } catch (err) {
    // An accessory of the demo, as its web server is: the cabinet and the other pages run on.
    logger
      .child({ module: 'daemon' })
      .warn(
        { err, accountsDatabase: file },
        'demo console not served: its accounts database cannot be opened (web.accountsDatabase)',
      );
    return undefined;
  }
  try {
    const login = await freshDemoLogin(accounts);
    return {
      authenticate: sessionAuthenticator(accounts),
      modules: consoleModules({
        accounts,
        clientFor: inProcessConsoleClients(context, deps),
        cabinet: { cabinetId: config.cabinetId, timeZone: config.cabinet.timeZone, slotCount },
        policy: config.policy,
      }),
      login,
      close: () => accounts.close(),
    };
  } catch (error) {
    accounts.close();
    throw error;
  }
}

/**
 * The demo's accounts file: the one the config names, but not the shipped console's default
 * under /var/lib (a demo run as root would make a system directory): beside the cabinet's
 * database instead. A cabinet database in memory has no place beside it: no console then.
 */
function demoAccountsFile(config: KeywardenConfig): string | undefined {
  if (config.web.accountsDatabase !== DEFAULT_WEB_ACCOUNTS_DATABASE) {
    return config.web.accountsDatabase;
  }
  if (config.database === ':memory:') return undefined;
  return join(dirname(config.database), 'demo-web-accounts.db');
}

/** The demo administrator, made or given a new password (which also ends its old sessions). */
async function freshDemoLogin(accounts: WebAccounts): Promise<DemoLogin> {
  const password = randomBytes(12).toString('base64url');
  const actor = 'demo-start';
  try {
    await accounts.add(actor, { account: DEMO_CONSOLE_ACCOUNT, role: 'admin', password });
  } catch (error) {
    if (!isKeywardenError(error, 'CONFLICT')) throw error;
    await accounts.update(actor, DEMO_CONSOLE_ACCOUNT, {
      password,
      role: 'admin',
      disabled: false,
    });
  }
  return { account: DEMO_CONSOLE_ACCOUNT, password };
}
