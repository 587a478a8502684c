import type { ConfigDefaults } from './config-types.js';

/**
 * Every default in one place. The schema's `default` annotations are read from here, so the
 * printed schema and the loader cannot disagree.
 */
export const DEFAULT_CONFIG: ConfigDefaults = {
  version: 1,
  profile: 'sim',
  database: '/var/lib/keywarden/keywarden.db',
  mqtt: {
    url: 'mqtt://127.0.0.1:1883',
    topicPrefix: 'keywarden/v1',
    reconnectMs: 2000,
    reconnectMaxMs: 60000,
  },
  delivery: {
    retentionDays: 30,
    maxUnacknowledged: 250000,
    pruneIntervalMinutes: 60,
    resendAfterSeconds: 60,
  },
  clock: {
    syncCheck: 'timesyncd',
    stepThresholdMs: 2000,
  },
  commands: {
    keys: [],
    maxSkewSeconds: 300,
  },
  cabinet: {
    sessionSeconds: 10,
    wrongSlotPulseSeconds: 5,
    doorForcedDebounceMs: 1000,
    doorHeldOpenSeconds: 20,
    doorPreAlarmSeconds: 5,
    timeZone: 'UTC',
  },
  lockout: {
    windowSeconds: 60,
    levels: [
      { attempts: 3, lockSeconds: 10 },
      { attempts: 2, lockSeconds: 30 },
    ],
    maxLockMinutes: 15,
    forgetAfterMinutes: 60,
  },
  policy: {
    maxKeysOut: null,
    overdueBlocksTaking: true,
    overdueReminderMinutes: 60,
    authorisationWindowSeconds: 60,
    entrySeconds: 20,
  },
  readers: {
    badgeQuietMs: 300,
    reopenIntervalMs: 1000,
  },
  sim: {
    host: '127.0.0.1',
    port: 8089,
  },
  log: {
    level: 'info',
  },
};

/** The config format this version of Keywarden reads. */
export const CONFIG_VERSION = DEFAULT_CONFIG.version;
