export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The daemon's configuration after loading: defaults applied, relative paths resolved. */
export interface KeywardenConfig {
  /** Where it was loaded from (absolute). */
  file: string;
  /** Config format version, so later formats can be upgraded step by step. */
  version: 1;
  /** Goes into MQTT topics: letters, digits, '_' and '-' only. */
  cabinetId: string;
  /** Profile name in hardware/ (e.g. 'sim') or an absolute path to a profile file. */
  profile: string;
  /** SQLite database path (absolute), or ':memory:'. */
  database: string;
  mqtt: {
    url: string;
    username?: string;
    password?: string;
    ca?: string;
    cert?: string;
    key?: string;
    /** Always set after loading; defaults to 'keywarden-<cabinetId>'. */
    clientId?: string;
    topicPrefix: string;
    /** First wait before reconnecting; doubles (with jitter) up to reconnectMaxMs. */
    reconnectMs: number;
    reconnectMaxMs: number;
  };
  delivery: {
    /** Acknowledged events are kept this long before pruning. */
    retentionDays: number;
    /** Above this many events not acknowledged by the central server, raise storage.backlog. */
    maxUnacknowledged: number;
    pruneIntervalMinutes: number;
    /**
     * Events published but not acknowledged by the central server this long are published again,
     * in order (at-least-once end to end); the wait doubles while nothing new is acknowledged.
     */
    resendAfterSeconds: number;
  };
  clock: {
    /** How to tell that the wall clock is synchronised. */
    syncCheck: 'timesyncd' | 'assume';
    /** A change of wall − monotonic time by this much between two checks is a step. */
    stepThresholdMs: number;
  };
  commands: {
    /** Ed25519 public keys of the central server, by key id; more than one during rotation. */
    keys: Array<{ id: string; publicKey: string }>;
    /** Tolerance for a command issued in the future (clock differences). */
    maxSkewSeconds: number;
  };
  cabinet: {
    /** How long door and slots stay released after a grant. */
    sessionSeconds: number;
    wrongSlotPulseSeconds: number;
    /** Open without a grant this long: door.forced. */
    doorForcedDebounceMs: number;
    /** Open this long: door.held_open. */
    doorHeldOpenSeconds: number;
    /** The buzzer chirps during this last stretch before door.held_open; 0: no pre-alarm. */
    doorPreAlarmSeconds: number;
    /** IANA time zone the schedules and curfews are read in. */
    timeZone: string;
  };
  lockout: {
    /** Denials older than this no longer count. */
    windowSeconds: number;
    /** The i-th successive lockout: after `attempts` denials, locked for `lockSeconds`. */
    levels: Array<{ attempts: number; lockSeconds: number }>;
    maxLockMinutes: number;
    /** A subject with no lockout for this long starts again from the first level. */
    forgetAfterMinutes: number;
  };
  policy: {
    /** Keys a holder may have out at once unless their record says; null: no limit. */
    maxKeysOut: number | null;
    overdueBlocksTaking: boolean;
    overdueReminderMinutes: number;
    authorisationWindowSeconds: number;
    entrySeconds: number;
  };
  readers: {
    badgeQuietMs: number;
    reopenIntervalMs: number;
    /** Override the profile's device paths. */
    badgePath?: string;
    fobPath?: string;
  };
  sim: {
    host: string;
    /** 0 = any free port. */
    port: number;
    /** Where the simulated cabinet keeps its fobs across restarts (absolute); unset: nowhere. */
    stateFile?: string;
  };
  log: { level: LogLevel };
}

/** Everything that has a default: all but the file, the cabinet id and the optional keys. */
export type ConfigDefaults = Omit<KeywardenConfig, 'file' | 'cabinetId'>;
