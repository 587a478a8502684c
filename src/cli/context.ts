import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig, type KeywardenConfig } from '../config/config.js';
import { loadProfile, type HardwareProfile } from '../config/profile.js';
import type { Actor } from '../domain/events.js';
import { hardwareDir } from '../paths.js';
import { freeText } from '../app/values.js';
import type { CustodianApp } from '../app/custodian-app.js';
import { openCustodianApp } from '../app/open-custodian-app.js';
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
  /** Every operation, in the name of --as (or the invoking user). */
  app: CustodianApp;
  close(): void;
}

/** The custodian's account, recorded on every change: --as, else the invoking user. */
export function custodianActor(args: ParsedArgs): Actor {
  const as = args.values.as;
  // The account is written into every event: the same text rule as any name.
  const account =
    typeof as === 'string' && as.trim()
      ? freeText(as, '--as')
      : (process.env.SUDO_USER ?? userInfo().username);
  return { kind: 'custodian', account };
}

/** Opens the cabinet's database for a custodian command (alongside a running daemon if any). */
export function openCustodian(
  args: ParsedArgs,
  options: { mustExist?: boolean } = {},
): CustodianContext {
  const { config, profile } = loadSetup(args);
  if (options.mustExist && config.database !== ':memory:' && !existsSync(config.database)) {
    throw new Error(`${config.database}: no database yet (start the daemon or add a holder first)`);
  }
  const opened = openCustodianApp(
    {
      database: config.database,
      cabinetId: config.cabinetId,
      slotCount: profile.slotCount,
      pinPepperFile: config.pins.pepperFile,
    },
    custodianActor(args),
  );
  return { config, profile, app: opened.app, close: () => opened.close() };
}
