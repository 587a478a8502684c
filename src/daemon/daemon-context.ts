import type { KeywardenConfig } from '../config/config.js';
import type { HardwareProfile } from '../config/profile.js';
import type { RecordingClock } from '../domain/clock.js';
import type { Logger } from '../log/logger.js';

/** What every service of the daemon is built with. */
export interface DaemonContext {
  config: KeywardenConfig;
  profile: HardwareProfile;
  clock: RecordingClock;
  /** The root logger: each service takes a child named for its module. */
  logger: Logger;
  /** The package version, in `cabinet.started`, the status and command replies. */
  version: string;
}
