import { DEFAULT_CONFIG } from './config-defaults.js';
import type { JsonSchema } from './json-schema.js';

/**
 * JSON Schema of the config file. Every key has a title and a description; every key with a
 * default shows it (taken from DEFAULT_CONFIG). A missing section means "all defaults".
 * Relative paths in the file are resolved against the file's own directory.
 */
const d = DEFAULT_CONFIG;

function path(title: string, description: string, fallback?: string): JsonSchema {
  const schema: JsonSchema = { title, description, type: 'string', minLength: 1 };
  if (fallback !== undefined) schema.default = fallback;
  return schema;
}

export const CABINET_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const configSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Keywarden configuration',
  description:
    'Configuration of one Keywarden daemon (one key cabinet). Only cabinetId is required; ' +
    'everything else has a default.',
  type: 'object',
  properties: {
    version: {
      title: 'Config format version',
      description:
        'Version of this file format. Older formats are upgraded step by step when loaded; ' +
        'a newer one is refused.',
      type: 'integer',
      const: d.version,
      default: d.version,
    },
    cabinetId: {
      title: 'Cabinet id',
      description:
        'Unique id of this cabinet. It becomes part of MQTT topics, so only letters, digits, ' +
        "'_' and '-' (1-64 characters). No default: two cabinets must never share one.",
      type: 'string',
      pattern: CABINET_ID_PATTERN,
      examples: ['store-3-cabinet-a'],
    },
    profile: {
      title: 'Hardware profile',
      description:
        "Name of a profile in hardware/ (e.g. 'sim', 'rpi-8slot') or a path to a profile file.",
      type: 'string',
      minLength: 1,
      default: d.profile,
    },
    database: path(
      'Database file',
      "SQLite database holding policy, loans and the event outbox; ':memory:' for a throwaway one.",
      d.database,
    ),
    mqtt: {
      title: 'MQTT',
      description: 'Connection to the central server through an MQTT broker.',
      type: 'object',
      default: {},
      properties: {
        url: {
          title: 'Broker URL',
          description: 'mqtt://, mqtts:// (TLS), ws:// or wss:// URL of the broker.',
          type: 'string',
          minLength: 1,
          default: d.mqtt.url,
        },
        username: {
          title: 'Username',
          description: 'Broker username. Unset: connect without one.',
          type: 'string',
        },
        password: {
          title: 'Password',
          description:
            'Broker password. Unset: connect without one. Keep the file readable only by the service.',
          type: 'string',
        },
        ca: path(
          'CA certificate',
          'PEM file of the CA that signed the broker certificate. Unset: the system CAs.',
        ),
        cert: path(
          'Client certificate',
          'PEM client certificate for mutual TLS; needs key. Unset: no client certificate.',
        ),
        key: path('Client key', 'PEM private key of the client certificate; needs cert.'),
        clientId: {
          title: 'Client id',
          description: "MQTT client id. Unset: 'keywarden-<cabinetId>'.",
          type: 'string',
          minLength: 1,
          maxLength: 128,
        },
        topicPrefix: {
          title: 'Topic prefix',
          description:
            "First topic levels of every topic; no wildcards ('+', '#'), no empty levels, " +
            "no leading '$'. The cabinet id follows it.",
          type: 'string',
          pattern: '^[^#+/$][^#+/]*(/[^#+/]+)*$',
          default: d.mqtt.topicPrefix,
        },
        reconnectMs: {
          title: 'First reconnect wait (ms)',
          description:
            'Wait before the first reconnection attempt after the broker is lost; it doubles ' +
            '(±20% jitter) after each failed attempt up to reconnectMaxMs.',
          type: 'integer',
          minimum: 100,
          maximum: 600000,
          default: d.mqtt.reconnectMs,
        },
        reconnectMaxMs: {
          title: 'Longest reconnect wait (ms)',
          description:
            'The wait between attempts doubles (with jitter) from reconnectMs up to this, and ' +
            'starts again from reconnectMs after a successful connection.',
          type: 'integer',
          minimum: 100,
          maximum: 3600000,
          default: d.mqtt.reconnectMaxMs,
        },
      },
      additionalProperties: false,
    },
    cabinet: {
      title: 'Cabinet behaviour',
      description: 'Timings of a cabinet session and of the door alarms.',
      type: 'object',
      default: {},
      properties: {
        sessionSeconds: {
          title: 'Session length (s)',
          description: 'How long the door and the granted slots stay released after a grant.',
          type: 'integer',
          minimum: 1,
          maximum: 600,
          default: d.cabinet.sessionSeconds,
        },
        wrongSlotPulseSeconds: {
          title: 'Emergency release pulse (s)',
          description:
            'Length of each pulse of an emergency release, renewed until it ends. (Historical name: a key in the wrong slot is now released only within a session.)',
          type: 'integer',
          minimum: 1,
          maximum: 60,
          default: d.cabinet.wrongSlotPulseSeconds,
        },
        doorForcedDebounceMs: {
          title: 'Forced-door debounce (ms)',
          description:
            'The door open with no grant in force for this long raises door.forced; a shorter ' +
            'opening (a door shaken in its frame, a bouncing contact) raises nothing. 0: at once.',
          type: 'integer',
          minimum: 0,
          maximum: 10000,
          default: d.cabinet.doorForcedDebounceMs,
        },
        doorHeldOpenSeconds: {
          title: 'Held-open time (s)',
          description:
            'The door open for longer than this, during a session or not, raises door.held_open ' +
            '(not during an emergency release).',
          type: 'integer',
          minimum: 1,
          maximum: 3600,
          default: d.cabinet.doorHeldOpenSeconds,
        },
        doorPreAlarmSeconds: {
          title: 'Held-open pre-alarm (s)',
          description:
            'The buzzer chirps once a second during this last stretch before door.held_open, so ' +
            'whoever is at the cabinet can close the door in time. 0: no pre-alarm.',
          type: 'integer',
          minimum: 0,
          maximum: 600,
          default: d.cabinet.doorPreAlarmSeconds,
        },
        timeZone: {
          title: 'Time zone',
          description:
            "IANA time zone (e.g. 'Europe/Paris') the schedules' windows, dated exceptions and " +
            'key curfews are read in; daylight-saving changes follow it. Event times stay UTC.',
          type: 'string',
          minLength: 1,
          default: d.cabinet.timeZone,
          examples: ['Europe/London'],
        },
      },
      additionalProperties: false,
    },
    lockout: {
      title: 'Lockout',
      description:
        'Repeated denied badges of one card, or of unknown cards at the reader, lock it out for ' +
        'a while; each successive lockout is longer.',
      type: 'object',
      default: {},
      properties: {
        windowSeconds: {
          title: 'Counting window (s)',
          description: 'Denials older than this no longer count towards a lockout.',
          type: 'integer',
          minimum: 1,
          maximum: 86400,
          default: d.lockout.windowSeconds,
        },
        levels: {
          title: 'Escalation',
          description:
            'The first lockout comes after levels[0].attempts denials and lasts ' +
            'levels[0].lockSeconds; the next uses levels[1], and so on. Past the end of the ' +
            "list the last level's attempts are kept and its time doubles, up to maxLockMinutes.",
          type: 'array',
          minItems: 1,
          maxItems: 10,
          items: {
            type: 'object',
            properties: {
              attempts: {
                title: 'Attempts',
                description: 'Denials within the window that start this lockout.',
                type: 'integer',
                minimum: 1,
                maximum: 100,
              },
              lockSeconds: {
                title: 'Lock time (s)',
                description: 'How long this lockout refuses the card (or the reader).',
                type: 'integer',
                minimum: 1,
                maximum: 86400,
              },
            },
            required: ['attempts', 'lockSeconds'],
            additionalProperties: false,
          },
          default: d.lockout.levels,
        },
        maxLockMinutes: {
          title: 'Longest lockout (min)',
          description: 'No lockout lasts longer than this, however often it repeats.',
          type: 'integer',
          minimum: 1,
          maximum: 1440,
          default: d.lockout.maxLockMinutes,
        },
        forgetAfterMinutes: {
          title: 'Forgiven after (min)',
          description:
            'A card or reader with no lockout for this long starts again at the first level.',
          type: 'integer',
          minimum: 1,
          maximum: 10080,
          default: d.lockout.forgetAfterMinutes,
        },
      },
      additionalProperties: false,
    },
    policy: {
      title: 'Access policy',
      description: 'Loan rules, PIN entry and the two- and three-person rule.',
      type: 'object',
      default: {},
      properties: {
        maxKeysOut: {
          title: 'Keys out per holder',
          description:
            "How many keys a holder may have out at once, unless the holder's own record says; " +
            'null for no limit. Reaching it relocks the rest of the session.',
          type: ['integer', 'null'],
          minimum: 0,
          default: d.policy.maxKeysOut,
        },
        overdueBlocksTaking: {
          title: 'Overdue key blocks taking',
          description:
            'A holder with an overdue key may take no other key (the door still opens to return it).',
          type: 'boolean',
          default: d.policy.overdueBlocksTaking,
        },
        overdueReminderMinutes: {
          title: 'Overdue reminder interval (min)',
          description:
            'After key.overdue, a key.overdue_reminder this often until the key is back.',
          type: 'integer',
          minimum: 1,
          maximum: 10080,
          default: d.policy.overdueReminderMinutes,
        },
        authorisationWindowSeconds: {
          title: 'Authorisation window (s)',
          description:
            'How long the further holders of the two- and three-person rule have to badge.',
          type: 'integer',
          minimum: 5,
          maximum: 600,
          default: d.policy.authorisationWindowSeconds,
        },
        entrySeconds: {
          title: 'PIN entry time (s)',
          description: 'How long the PIN, and then the reason code, may take after the badge.',
          type: 'integer',
          minimum: 5,
          maximum: 120,
          default: d.policy.entrySeconds,
        },
      },
      additionalProperties: false,
    },
    readers: {
      title: 'Readers',
      description: 'Reader behaviour, and device paths that override the profile.',
      type: 'object',
      default: {},
      properties: {
        badgeQuietMs: {
          title: 'Badge quiet time (ms)',
          description:
            'A badge read repeats while the card is held; the same card counts again only ' +
            'after this long without a read.',
          type: 'integer',
          minimum: 0,
          maximum: 10000,
          default: d.readers.badgeQuietMs,
        },
        reopenIntervalMs: {
          title: 'Reopen interval (ms)',
          description: 'Wait between attempts to reopen a reader that was unplugged.',
          type: 'integer',
          minimum: 100,
          maximum: 60000,
          default: d.readers.reopenIntervalMs,
        },
        badgePath: {
          title: 'Badge reader path',
          description: "Overrides the profile's badge reader device. Unset: the profile's.",
          type: 'string',
          minLength: 1,
        },
        fobPath: {
          title: 'Fob reader path',
          description: "Overrides the profile's fob reader device. Unset: the profile's.",
          type: 'string',
          minLength: 1,
        },
      },
      additionalProperties: false,
    },
    sim: {
      title: 'Simulator',
      description: "Where the simulator's control page listens (profiles with gpio driver 'sim').",
      type: 'object',
      default: {},
      properties: {
        host: {
          title: 'Host',
          description: 'Address to listen on; keep it on loopback unless the network is trusted.',
          type: 'string',
          minLength: 1,
          default: d.sim.host,
        },
        port: {
          title: 'Port',
          description: 'TCP port; 0 picks any free port.',
          type: 'integer',
          minimum: 0,
          maximum: 65535,
          default: d.sim.port,
        },
        stateFile: path(
          'Physical state file',
          'Where the simulated cabinet keeps which fob hangs in which slot, so that it outlives ' +
            'a crash or restart as a real cabinet does. Unset: at every start the simulator ' +
            'hangs every key that is not on loan.',
        ),
      },
      additionalProperties: false,
    },
    delivery: {
      title: 'Delivery to the central server',
      description: 'How long events are kept, and how large a backlog is tolerated.',
      type: 'object',
      default: {},
      properties: {
        retentionDays: {
          title: 'Retention (days)',
          description:
            'Events acknowledged by the central server are pruned once they are this old. ' +
            'Events it has not acknowledged are never pruned.',
          type: 'integer',
          minimum: 1,
          maximum: 3650,
          default: d.delivery.retentionDays,
        },
        maxUnacknowledged: {
          title: 'Unacknowledged ceiling',
          description:
            'When more events than this wait for the central server’s acknowledgement, the ' +
            'storage.backlog alarm is raised, well before the disk fills.',
          type: 'integer',
          minimum: 100,
          maximum: 100000000,
          default: d.delivery.maxUnacknowledged,
        },
        pruneIntervalMinutes: {
          title: 'Prune interval (minutes)',
          description: 'How often acknowledged, expired events are pruned.',
          type: 'integer',
          minimum: 1,
          maximum: 1440,
          default: d.delivery.pruneIntervalMinutes,
        },
        resendAfterSeconds: {
          title: 'Resend after (seconds)',
          description:
            'Events published but not acknowledged by the central server within this time are ' +
            'published again, in order, while connected; the wait doubles (up to an hour) while ' +
            'the server acknowledges nothing new.',
          type: 'integer',
          minimum: 1,
          maximum: 86400,
          default: d.delivery.resendAfterSeconds,
        },
      },
      additionalProperties: false,
    },
    clock: {
      title: 'Clock',
      description: 'How the wall clock is judged (a Raspberry Pi has no real-time clock).',
      type: 'object',
      default: {},
      properties: {
        syncCheck: {
          title: 'Synchronisation check',
          description:
            "'timesyncd': the clock counts as synchronised once systemd-timesyncd has set it " +
            "(/run/systemd/timesync/synchronized); 'assume': always (a machine with a real-time clock).",
          type: 'string',
          enum: ['timesyncd', 'assume'],
          default: d.clock.syncCheck,
        },
        stepThresholdMs: {
          title: 'Clock step threshold (ms)',
          description:
            'When the wall clock moves this much against the monotonic clock between two checks ' +
            '(NTP setting a stale clock, an operator), a clock.stepped event is recorded. Timers ' +
            'run on the monotonic clock either way.',
          type: 'integer',
          minimum: 100,
          maximum: 3600000,
          default: d.clock.stepThresholdMs,
        },
      },
      additionalProperties: false,
    },
    commands: {
      title: 'Remote commands',
      description: 'Who may command this cabinet: the central server’s signing keys.',
      type: 'object',
      default: {},
      properties: {
        keys: {
          title: 'Signing keys',
          description:
            'Ed25519 public keys (PEM, SPKI) of the central server. Commands must be signed by ' +
            'one of them; list two during a key rotation. Empty: every command is refused.',
          type: 'array',
          default: d.commands.keys,
          items: {
            type: 'object',
            properties: {
              id: {
                title: 'Key id',
                description: 'Named in each command as keyId; counters are kept per key id.',
                type: 'string',
                pattern: '^[A-Za-z0-9_.-]{1,64}$',
              },
              publicKey: {
                title: 'Public key',
                description: "PEM text ('-----BEGIN PUBLIC KEY-----…') of the Ed25519 key.",
                type: 'string',
                minLength: 40,
              },
            },
            required: ['id', 'publicKey'],
            additionalProperties: false,
          },
        },
        maxSkewSeconds: {
          title: 'Clock skew tolerance (s)',
          description: 'A command issued further in the future than this is refused.',
          type: 'integer',
          minimum: 0,
          maximum: 86400,
          default: d.commands.maxSkewSeconds,
        },
      },
      additionalProperties: false,
    },
    log: {
      title: 'Logging',
      description: 'Log output.',
      type: 'object',
      default: {},
      properties: {
        level: {
          title: 'Log level',
          description: 'Least severe level that is logged.',
          type: 'string',
          enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace'],
          default: d.log.level,
        },
      },
      additionalProperties: false,
    },
  },
  required: ['cabinetId'],
  additionalProperties: false,
};

/** The schema as printed by `keywarden config schema`; a copy, so callers cannot alter ours. */
export function configSchemaJson(): JsonSchema {
  return structuredClone(configSchema);
}
