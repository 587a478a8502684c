import type { KeywardenConfig } from '../../config/config.js';
import type { HardwareProfile } from '../../config/profile.js';
import { initialCabinetState } from '../../domain/cabinet-state.js';
import type { Logger } from '../../log/logger.js';
import type { Database } from '../../store/database.js';
import type { EventLog } from '../../store/event-log.js';
import { loadLockdown } from '../../store/lockdown-state.js';
import { loadLockouts } from '../../store/lockout-restore.js';
import { loadExpiriesMark } from '../../store/policy-marks.js';
import type { SqliteDirectory } from '../../store/sqlite-directory.js';
import { CabinetRunner, type CabinetOutputs } from '../cabinet-runner.js';
import type { DaemonContext } from '../daemon-context.js';
import { lockoutSettingsOf, policySettingsOf } from '../policy-settings.js';
import type { Service } from '../service.js';

export interface CabinetRunnerParts {
  db: Database;
  eventLog: EventLog;
  directory: SqliteDirectory;
  outputs: CabinetOutputs;
}

/** The cabinet flow's shell, from the config, the profile and what the database remembers. */
export function createCabinetRunner(
  context: DaemonContext,
  parts: CabinetRunnerParts,
): CabinetRunner {
  const { config, profile, clock, logger } = context;
  const { db } = parts;
  return new CabinetRunner(
    // A lockdown and the lockouts outlive a restart; an emergency release does not (fail secure).
    initialCabinetState(
      profile.slotCount,
      loadLockdown(db),
      loadExpiriesMark(db, clock.wallMs()),
      loadLockouts(db, clock),
    ),
    {
      settings: {
        slotCount: profile.slotCount,
        sessionMs: sessionMs(config, profile, logger.child({ module: 'daemon' })),
        wrongSlotPulseMs: config.cabinet.wrongSlotPulseSeconds * 1000,
        // Every profile slot wires one (the schema requires it): no fob report alone is an arrival.
        keyPresentSlots: profile.slots.map((slot) => slot.number),
        pickKeysOnScreen: config.cabinet.pickKeysOnScreen,
        policy: policySettingsOf(config),
        lockout: lockoutSettingsOf(config),
        door: {
          forcedDebounceMs: config.cabinet.doorForcedDebounceMs,
          heldOpenMs: config.cabinet.doorHeldOpenSeconds * 1000,
          preAlarmMs: config.cabinet.doorPreAlarmSeconds * 1000,
        },
      },
      directory: parts.directory,
      clock,
      timeZone: config.cabinet.timeZone,
    },
    parts.eventLog,
    parts.outputs,
    logger.child({ module: 'cabinet' }),
  );
}

/**
 * A session may not outlast the solenoids' maximum on-time: the driver would cut the coil
 * while the domain still believed the slot released, and a pull then would be recorded as a
 * check-out instead of being forced.
 */
function sessionMs(config: KeywardenConfig, profile: HardwareProfile, logger: Logger): number {
  const wanted = config.cabinet.sessionSeconds * 1000;
  if (wanted <= profile.solenoids.maxOnMs) return wanted;
  logger.warn(
    { sessionSeconds: config.cabinet.sessionSeconds, maxOnMs: profile.solenoids.maxOnMs },
    "cabinet.sessionSeconds is longer than the profile's solenoid maximum on-time; using the latter",
  );
  return profile.solenoids.maxOnMs;
}

/**
 * The cabinet's run, between `cabinet.started` and `cabinet.stopped`. Started once the broker
 * link and the delivery can carry what it records, before any input can reach it; stopped after
 * every input has: its outputs go off (and its own timers with them), then the stop is recorded
 * for the broker link to send.
 */
export function cabinetService(
  context: DaemonContext,
  options: {
    runner: CabinetRunner;
    eventLog: EventLog;
    /** Events were recorded outside the runner: publish them. */
    recorded: () => void;
    /** Why the daemon stops, for `cabinet.stopped`. */
    stopReason: () => string;
  },
): Service {
  const { runner, eventLog } = options;
  return {
    name: 'cabinet',
    start() {
      // What came due while the daemon was down (a validity that ended) is recorded first.
      runner.handle({ kind: 'tick' });
      const data = { version: context.version, profile: context.profile.model };
      eventLog.append([{ type: 'cabinet.started', data }]);
      options.recorded();
    },
    stop() {
      try {
        runner.shutdown();
      } finally {
        eventLog.append([{ type: 'cabinet.stopped', data: { reason: options.stopReason() } }]);
      }
    },
  };
}
