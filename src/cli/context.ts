import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig, type KeywardenConfig } from '../config/config.js';
import { loadProfile, type HardwareProfile } from '../config/profile.js';
import type { CustodianClient } from '../app/custodian-client.js';
import type { CustodianAccount } from '../app/custodian-roles.js';
import { connectCustodianSocket } from '../app/custodian-socket-client.js';
import { localCustodian } from '../app/local-custodian.js';
import { freeText } from '../app/values.js';
import { KeywardenError } from '../errors.js';
import { hardwareDir } from '../paths.js';
import { readerRefusal } from './card-format.js';
import type { ParsedArgs } from './command.js';

export const DEFAULT_CONFIG_FILE = '/etc/keywarden/config.json';

/** --config, else $KEYWARDEN_CONFIG, else the packaged location. */
export function configPath(args: ParsedArgs): string {
  const given = args.values.config;
  if (typeof given === 'string') return given;
  return process.env.KEYWARDEN_CONFIG ?? DEFAULT_CONFIG_FILE;
}

export function loadSetup(args: ParsedArgs): { config: KeywardenConfig; profile: HardwareProfile } {
  const config = loadConfig(configPath(args));
  return { config, profile: loadProfile(config.profile, hardwareDir()) };
}

export interface CustodianContext {
  config: KeywardenConfig;
  /** The cabinet's hardware: what its readers can send, how many slots it has. */
  profile: HardwareProfile;
  /** Every operation, recorded under the caller's authenticated account. */
  app: CustodianClient;
  close(): void;
}

/**
 * The Unix user running this command: with the daemon stopped, the account and role its user
 * name maps to in custodians.accounts, else its own name with every right (it could open the
 * database file: root or the daemon's user). sudo's SUDO_USER is taken only from root, who
 * could record anything anyway.
 */
export function localAccount(config: KeywardenConfig): CustodianAccount {
  const me = userInfo();
  const user = me.uid === 0 && process.env.SUDO_USER ? process.env.SUDO_USER : me.username;
  return config.custodians.accounts[user] ?? { account: user, role: 'admin' };
}

/**
 * --as names nobody: every change is recorded under the caller's own account. It is still
 * accepted when it names that account (scripts written before), and refused otherwise, loudly.
 */
async function checkAs(args: ParsedArgs, app: CustodianClient): Promise<void> {
  const as = args.values.as;
  if (typeof as !== 'string') return;
  const given = freeText(as, '--as');
  const { account } = await app.account.current();
  if (given !== account) {
    throw new KeywardenError(
      'FORBIDDEN',
      `--as ${given}: your changes are recorded as ${account}, the account of your Unix user (custodians.accounts); --as cannot name anyone else`,
    );
  }
}

/**
 * Reaches the custodian's operations: through the running daemon's socket when one answers,
 * else (daemon stopped, or no socket configured) on the database opened here, which only who
 * may open the file can do.
 */
export async function openCustodian(
  args: ParsedArgs,
  options: { mustExist?: boolean } = {},
): Promise<CustodianContext> {
  const { config, profile } = loadSetup(args);
  const socket = config.custodians.socket;
  const remote = socket === null ? null : await connectCustodianSocket(socket);
  const opened = remote ?? openHere(config, profile, options);
  const context = { config, profile, app: opened.client, close: () => opened.close() };
  try {
    await checkAs(args, context.app);
  } catch (error) {
    context.close();
    throw error;
  }
  return context;
}

function openHere(
  config: KeywardenConfig,
  profile: HardwareProfile,
  options: { mustExist?: boolean },
) {
  if (options.mustExist && config.database !== ':memory:' && !existsSync(config.database)) {
    throw new Error(`${config.database}: no database yet (start the daemon or add a holder first)`);
  }
  const badge = profile.readers.badge;
  return localCustodian(
    {
      database: config.database,
      cabinetId: config.cabinetId,
      slotCount: profile.slotCount,
      pinPepperFile: config.pins.pepperFile,
      reader: { cardRefusal: (card) => readerRefusal(card, badge) },
    },
    localAccount(config),
  );
}
