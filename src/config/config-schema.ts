import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import type { JsonSchema } from './json-schema.js';
import { omittableDefaults } from './schema-defaults.js';
import { CONFIG_VERSION } from './config-version.js';
import { CUSTODIAN_ROLES } from '../app/custodian-roles.js';
import { IntegerConst, IntegerEnum, NullableInteger, StringEnum } from './schema-kinds.js';

/**
 * The config file's one source of truth: its JSON Schema (TypeBox), from which the types
 * (Static), the defaults (config-defaults.ts) and the validator (generated/, by Ajv) derive.
 * Every key has a title and a description; every key that may be left out has a default, and
 * is written here as required because after loading it is always there (Ajv fills it in;
 * omittableDefaults makes it optional in the schema of the file). A missing section means "all
 * defaults". Relative paths in the file are resolved against the file's own directory.
 */

function path(title: string, description: string) {
  return Type.String({ title, description, minLength: 1 });
}

/** A section of the file: every key known, the whole section optional. */
function section<P extends TProperties>(
  title: string,
  description: string,
  properties: P,
): TObject<P> {
  return Type.Object(properties, { title, description, default: {}, additionalProperties: false });
}

/** Where `keywarden web` keeps its accounts unless the config says (its unit's state directory). */
export const DEFAULT_WEB_ACCOUNTS_DATABASE = '/var/lib/keywarden-web/web.db';

export const CABINET_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export const ConfigSchema = Type.Object(
  {
    version: IntegerConst(CONFIG_VERSION, {
      title: 'Config format version',
      description:
        'Version of this file format. Older formats are upgraded step by step when loaded; ' +
        'a newer one is refused.',
      default: CONFIG_VERSION,
    }),
    cabinetId: Type.String({
      title: 'Cabinet id',
      description:
        'Unique id of this cabinet. It becomes part of MQTT topics, so only letters, digits, ' +
        "'_' and '-' (1-64 characters). No default: two cabinets must never share one.",
      pattern: CABINET_ID_PATTERN,
      examples: ['store-3-cabinet-a'],
    }),
    // No default: a real Pi whose config left it out would run the simulated cabinet under its
    // real cabinet id, and the demo's config names it anyway.
    profile: Type.String({
      title: 'Hardware profile',
      description:
        "Name of a profile in hardware/ (e.g. 'sim', 'rpi-8slot') or a path to a profile file. " +
        "No default: name 'sim' for the simulated cabinet.",
      minLength: 1,
      examples: ['rpi-8slot'],
    }),
    database: Type.String({
      title: 'Database file',
      description:
        "SQLite database holding policy, loans and the event outbox; ':memory:' for a throwaway one.",
      minLength: 1,
      default: '/var/lib/keywarden/keywarden.db',
    }),
    mqtt: section('MQTT', 'Connection to the central server through an MQTT broker.', {
      url: Type.String({
        title: 'Broker URL',
        description:
          'mqtts:// or wss:// (TLS) URL of the broker; mqtt:// or ws:// only with allowPlainText.',
        minLength: 1,
        default: 'mqtt://127.0.0.1:1883',
      }),
      allowPlainText: Type.Boolean({
        title: 'Allow plain text',
        description:
          'Connect to an mqtt:// or ws:// URL without TLS. Off: the daemon refuses to start ' +
          'with one, since whoever answers on that port (any local user, if no broker listens) ' +
          'reads every event and may acknowledge them. For the demo and tests.',
        default: false,
      }),
      username: Type.Optional(
        Type.String({
          title: 'Username',
          description: 'Broker username. Unset: connect without one.',
        }),
      ),
      password: Type.Optional(
        Type.String({
          title: 'Password',
          description:
            'Broker password. Unset: connect without one. Keep the file readable only by the service.',
        }),
      ),
      ca: Type.Optional(
        path(
          'CA certificate',
          'PEM file of the CA that signed the broker certificate. Unset: the system CAs.',
        ),
      ),
      cert: Type.Optional(
        path(
          'Client certificate',
          'PEM client certificate for mutual TLS; needs key. Unset: no client certificate.',
        ),
      ),
      key: Type.Optional(
        path('Client key', 'PEM private key of the client certificate; needs cert.'),
      ),
      // Always set after loading: defaults to 'keywarden-<cabinetId>', which no schema can say.
      clientId: Type.Optional(
        Type.String({
          title: 'Client id',
          description: "MQTT client id. Unset: 'keywarden-<cabinetId>'.",
          minLength: 1,
          maxLength: 128,
        }),
      ),
      topicPrefix: Type.String({
        title: 'Topic prefix',
        description:
          "First topic levels of every topic; no wildcards ('+', '#'), no empty levels, " +
          "no leading '$'. The cabinet id follows it.",
        pattern: '^[^#+/$][^#+/]*(/[^#+/]+)*$',
        default: 'keywarden/v1',
      }),
      protocolVersion: IntegerEnum([5, 4], {
        title: 'MQTT protocol version',
        description:
          '5: MQTT 5. 4: MQTT 3.1.1 (its protocol level is 4), for a broker without MQTT 5 ' +
          "such as RabbitMQ 3.10's MQTT plugin: replies go to the cabinet's reply topic without " +
          'correlation data, and retained messages on the ack topic are not held back ' +
          '(docs/mqtt.md, "Other brokers").',
        default: 5,
      }),
      reconnectMs: Type.Integer({
        title: 'First reconnect wait (ms)',
        description:
          'Wait before the first reconnection attempt after the broker is lost; it doubles ' +
          '(±20% jitter) after each failed attempt up to reconnectMaxMs.',
        minimum: 100,
        maximum: 600000,
        default: 2000,
      }),
      reconnectMaxMs: Type.Integer({
        title: 'Longest reconnect wait (ms)',
        description:
          'The wait between attempts doubles (with jitter) from reconnectMs up to this, and ' +
          'starts again from reconnectMs after a successful connection.',
        minimum: 100,
        maximum: 3600000,
        default: 60000,
      }),
      homeAssistant: section(
        'Home Assistant',
        'Optional MQTT discovery for Home Assistant on the same broker: read-only entities ' +
          '(door, lock, keys, alarms); nothing Home Assistant sends is acted on.',
        {
          enabled: Type.Boolean({
            title: 'Home Assistant discovery',
            description:
              'Publish retained discovery configs so Home Assistant shows the cabinet as a ' +
              'device. Turned off again: the configs this cabinet published are cleared.',
            default: false,
          }),
          discoveryPrefix: Type.String({
            title: 'Discovery prefix',
            description:
              "Home Assistant's MQTT discovery prefix; no wildcards ('+', '#'), no empty " +
              "levels, no leading '$'.",
            pattern: '^[^#+/$][^#+/]*(/[^#+/]+)*$',
            default: 'homeassistant',
          }),
        },
      ),
    }),
    cabinet: section('Cabinet behaviour', 'Timings of a cabinet session and of the door alarms.', {
      sessionSeconds: Type.Integer({
        title: 'Session length (s)',
        description: 'How long the door and the granted slots stay released after a grant.',
        minimum: 1,
        maximum: 600,
        default: 10,
      }),
      wrongSlotPulseSeconds: Type.Integer({
        title: 'Emergency release pulse (s)',
        description:
          'Length of each pulse of an emergency release, renewed until it ends. (Historical name: a key in the wrong slot is now released only within a session.)',
        minimum: 1,
        maximum: 60,
        default: 5,
      }),
      doorForcedDebounceMs: Type.Integer({
        title: 'Forced-door debounce (ms)',
        description:
          'The door open with no grant in force for this long raises door.forced; a shorter ' +
          'opening (a door shaken in its frame, a bouncing contact) raises nothing. 0: at once.',
        minimum: 0,
        maximum: 10000,
        default: 1000,
      }),
      doorHeldOpenSeconds: Type.Integer({
        title: 'Held-open time (s)',
        description:
          'The door open for longer than this, during a session or not, raises door.held_open ' +
          '(not during an emergency release).',
        minimum: 1,
        maximum: 3600,
        default: 20,
      }),
      doorPreAlarmSeconds: Type.Integer({
        title: 'Held-open pre-alarm (s)',
        description:
          'The buzzer chirps once a second during this last stretch before door.held_open, so ' +
          'whoever is at the cabinet can close the door in time. 0: no pre-alarm.',
        minimum: 0,
        maximum: 600,
        default: 5,
      }),
      pickKeysOnScreen: Type.Boolean({
        title: 'Pick the keys on the screen',
        description:
          'A grant opens the door and offers its keys on the cabinet screen; only the slots the ' +
          'holder picks there are released (a pick can only narrow the grant). Off: every ' +
          'permitted slot is released at the grant. Needs the cabinet screen (screen.port).',
        default: false,
      }),
      timeZone: Type.String({
        title: 'Time zone',
        description:
          "IANA time zone (e.g. 'Europe/Paris') the schedules' windows, dated exceptions and " +
          'key curfews are read in; daylight-saving changes follow it. Event times stay UTC.',
        minLength: 1,
        default: 'UTC',
        examples: ['Europe/London'],
      }),
    }),
    screen: section(
      'Cabinet screen',
      'The page for the touchscreen on the cabinet (/cabinet), served by the daemon: the live ' +
        'session and its on-screen PIN pad, reason codes and key picking. It needs no login, ' +
        'so it is served on the loopback address for the kiosk browser on the Pi itself.',
      {
        port: NullableInteger({
          title: 'Port',
          description: 'TCP port the cabinet screen is served on. null: no cabinet screen.',
          minimum: 1,
          maximum: 65535,
          default: null,
          examples: [8090],
        }),
        host: Type.String({
          title: 'Host',
          description:
            'Address the cabinet screen listens on. Only a loopback address (127.0.0.1, ::1, ' +
            'localhost) unless screen.allowRemote is true.',
          minLength: 1,
          default: '127.0.0.1',
        }),
        allowRemote: Type.Boolean({
          title: 'Allow a non-loopback host',
          description:
            'Serve the screen on a host that is not loopback: anyone who reaches it sees the ' +
            'session in progress and can type on its pad. Only for a screen on its own cable.',
          default: false,
        }),
        kioskUser: Type.Optional(
          Type.String({
            title: 'Kiosk user',
            description:
              'The Unix user (name or uid) the kiosk browser runs as: the screen answers only ' +
              "connections that user's processes make on this machine, and refuses every other " +
              'with 403. Unset: any local user may watch the screen and type on its pad (a ' +
              'warning at start). Not with allowRemote: a remote screen has no local user.',
            minLength: 1,
            maxLength: 32,
            examples: ['kiosk'],
          }),
        ),
      },
    ),
    lockout: section(
      'Lockout',
      'Repeated denied badges of one card, or of unknown cards at the reader, lock it out for ' +
        'a while; each successive lockout is longer.',
      {
        windowSeconds: Type.Integer({
          title: 'Counting window (s)',
          description: 'Denials older than this no longer count towards a lockout.',
          minimum: 1,
          maximum: 86400,
          default: 60,
        }),
        levels: Type.Array(
          Type.Object(
            {
              attempts: Type.Integer({
                title: 'Attempts',
                description: 'Denials within the window that start this lockout.',
                minimum: 1,
                maximum: 100,
              }),
              lockSeconds: Type.Integer({
                title: 'Lock time (s)',
                description: 'How long this lockout refuses the card (or the reader).',
                minimum: 1,
                maximum: 86400,
              }),
            },
            { additionalProperties: false },
          ),
          {
            title: 'Escalation',
            description:
              'The first lockout comes after levels[0].attempts denials and lasts ' +
              'levels[0].lockSeconds; the next uses levels[1], and so on. Past the end of the ' +
              "list the last level's attempts are kept and its time doubles, up to maxLockMinutes.",
            minItems: 1,
            maxItems: 10,
            default: [
              { attempts: 3, lockSeconds: 10 },
              { attempts: 2, lockSeconds: 30 },
            ],
          },
        ),
        maxLockMinutes: Type.Integer({
          title: 'Longest lockout (min)',
          description: 'No lockout lasts longer than this, however often it repeats.',
          minimum: 1,
          maximum: 1440,
          default: 15,
        }),
        forgetAfterMinutes: Type.Integer({
          title: 'Forgiven after (min)',
          description:
            'A card or reader with no lockout for this long starts again at the first level.',
          minimum: 1,
          maximum: 10080,
          default: 60,
        }),
        maxWrongPins: Type.Integer({
          title: 'Wrong PINs before a hard lock',
          description:
            'Wrong PINs in a row after which a card is refused until a custodian resets it ' +
            '(keywarden pin reset). Kept in the database: neither time nor a restart forgets ' +
            'it; the right PIN starts the count again.',
          minimum: 1,
          maximum: 100,
          default: 5,
        }),
      },
    ),
    pins: section('PINs', 'How the PINs typed at the keypad are kept.', {
      pepperFile: Type.Optional(
        Type.String({
          title: 'PIN pepper file',
          description:
            'A secret (32 random bytes, mode 0600) mixed into every PIN before it is hashed, ' +
            'kept out of the database so that a copy of it reveals no PIN. Made at the first ' +
            'start if absent; back it up with the config: lost, every PIN must be set again. ' +
            "Unset: 'pin-pepper' beside the database.",
          minLength: 1,
          examples: ['/etc/keywarden/pin-pepper'],
        }),
      ),
    }),
    policy: section('Access policy', 'Loan rules, PIN entry and the two- and three-person rule.', {
      maxKeysOut: NullableInteger({
        title: 'Keys out per holder',
        description:
          "How many keys a holder may have out at once, unless the holder's own record says; " +
          'null for no limit. Reaching it relocks the rest of the session.',
        minimum: 0,
        default: null,
      }),
      overdueBlocksTaking: Type.Boolean({
        title: 'Overdue key blocks taking',
        description:
          'A holder with an overdue key may take no other key (the door still opens to return it).',
        default: true,
      }),
      overdueReminderMinutes: Type.Integer({
        title: 'Overdue reminder interval (min)',
        description: 'After key.overdue, a key.overdue_reminder this often until the key is back.',
        minimum: 1,
        maximum: 10080,
        default: 60,
      }),
      authorisationWindowSeconds: Type.Integer({
        title: 'Authorisation window (s)',
        description:
          'How long the further holders of the two- and three-person rule have to badge.',
        minimum: 5,
        maximum: 600,
        default: 60,
      }),
      entrySeconds: Type.Integer({
        title: 'PIN entry time (s)',
        description: 'How long the PIN, and then the reason code, may take after the badge.',
        minimum: 5,
        maximum: 120,
        default: 20,
      }),
    }),
    readers: section('Readers', 'Reader behaviour, and device paths that override the profile.', {
      badgeQuietMs: Type.Integer({
        title: 'Badge quiet time (ms)',
        description:
          'A badge read repeats while the card is held; the same card counts again only ' +
          'after this long without a read.',
        minimum: 0,
        maximum: 10000,
        default: 300,
      }),
      reopenIntervalMs: Type.Integer({
        title: 'Reopen interval (ms)',
        description: 'Wait between attempts to reopen a reader that was unplugged.',
        minimum: 100,
        maximum: 60000,
        default: 1000,
      }),
      badgePath: Type.Optional(
        Type.String({
          title: 'Badge reader path',
          description: "Overrides the profile's badge reader device. Unset: the profile's.",
          minLength: 1,
        }),
      ),
      fobPath: Type.Optional(
        Type.String({
          title: 'Fob reader path',
          description: "Overrides the profile's fob reader device. Unset: the profile's.",
          minLength: 1,
        }),
      ),
      osdpKeyFile: Type.Optional(
        Type.String({
          title: 'OSDP key file',
          description:
            "The OSDP readers' Secure Channel base key (SCBK): 32 hex digits (16 bytes) in a " +
            "file of mode 0600 owned by the daemon, kept out of the database with the config's " +
            'other secrets. Needed when the profile\'s osdp.secure is "on" or "install"; never ' +
            'made by Keywarden (`umask 077; openssl rand -hex 16 > osdp-key`). A missing, ' +
            'malformed or group/world-readable file stops the start (exit 78). Unset: ' +
            "'osdp-key' beside the database.",
          minLength: 1,
          examples: ['/etc/keywarden/osdp-key'],
        }),
      ),
    }),
    sim: section(
      'Simulator',
      "Where the simulator's control page listens (profiles with gpio driver 'sim').",
      {
        host: Type.String({
          title: 'Host',
          description: 'Address to listen on; keep it on loopback unless the network is trusted.',
          minLength: 1,
          default: '127.0.0.1',
        }),
        port: Type.Integer({
          title: 'Port',
          description: 'TCP port; 0 picks any free port.',
          minimum: 0,
          maximum: 65535,
          default: 8089,
        }),
        stateFile: Type.Optional(
          path(
            'Physical state file',
            'Where the simulated cabinet keeps which fob hangs in which slot, so that it outlives ' +
              'a crash or restart as a real cabinet does. Unset: at every start the simulator ' +
              'hangs every key that is not on loan.',
          ),
        ),
      },
    ),
    delivery: section(
      'Delivery to the central server',
      'How long events are kept, and how large a backlog is tolerated.',
      {
        retentionDays: Type.Integer({
          title: 'Retention (days)',
          description:
            'Events acknowledged by the central server are pruned once they are this old. ' +
            'Events it has not acknowledged are never pruned.',
          minimum: 1,
          maximum: 3650,
          default: 30,
        }),
        maxUnacknowledged: Type.Integer({
          title: 'Unacknowledged ceiling',
          description:
            'When more events than this wait for the central server’s acknowledgement, the ' +
            'storage.backlog alarm is raised, well before the disk fills.',
          minimum: 100,
          maximum: 100000000,
          default: 250000,
        }),
        pruneIntervalMinutes: Type.Integer({
          title: 'Prune interval (minutes)',
          description: 'How often acknowledged, expired events are pruned.',
          minimum: 1,
          maximum: 1440,
          default: 60,
        }),
        resendAfterSeconds: Type.Integer({
          title: 'Resend after (seconds)',
          description:
            'Events published but not acknowledged by the central server within this time are ' +
            'published again, in order, while connected; the wait doubles (up to an hour) while ' +
            'the server acknowledges nothing new.',
          minimum: 1,
          maximum: 86400,
          default: 60,
        }),
      },
    ),
    clock: section(
      'Clock',
      'How the wall clock is judged (a Raspberry Pi has no real-time clock).',
      {
        syncCheck: StringEnum(['timesyncd', 'assume'], {
          title: 'Synchronisation check',
          description:
            "'timesyncd': the clock counts as synchronised once systemd-timesyncd has set it " +
            "(/run/systemd/timesync/synchronized); 'assume': always (a machine with a real-time clock).",
          default: 'timesyncd',
        }),
        stepThresholdMs: Type.Integer({
          title: 'Clock step threshold (ms)',
          description:
            'When the wall clock moves this much against the monotonic clock between two checks ' +
            '(NTP setting a stale clock, an operator), a clock.stepped event is recorded. Timers ' +
            'run on the monotonic clock either way.',
          minimum: 100,
          maximum: 3600000,
          default: 2000,
        }),
      },
    ),
    commands: section(
      'Remote commands',
      'Who may command this cabinet: the central server’s signing keys.',
      {
        keys: Type.Array(
          Type.Object(
            {
              id: Type.String({
                title: 'Key id',
                description: 'Named in each command as keyId; counters are kept per key id.',
                pattern: '^[A-Za-z0-9_.-]{1,64}$',
              }),
              publicKey: Type.String({
                title: 'Public key',
                description: "PEM text ('-----BEGIN PUBLIC KEY-----…') of the Ed25519 key.",
                minLength: 40,
              }),
            },
            { additionalProperties: false },
          ),
          {
            title: 'Signing keys',
            description:
              'Ed25519 public keys (PEM, SPKI) of the central server. Commands must be signed by ' +
              'one of them; list two during a key rotation. Empty: every command is refused.',
            default: [],
          },
        ),
        maxSkewSeconds: Type.Integer({
          title: 'Clock skew tolerance (s)',
          description: 'A command issued further in the future than this is refused.',
          minimum: 0,
          maximum: 86400,
          default: 300,
        }),
        maxValiditySeconds: Type.Integer({
          title: 'Longest command validity (s)',
          description:
            'A command valid for longer than this (expiresAt − issuedAt), or issued longer ago, ' +
            'is refused: a captured command is useless after it.',
          minimum: 1,
          maximum: 86400,
          default: 600,
        }),
        rejectionWindowSeconds: Type.Integer({
          title: 'Refusal summary window (s)',
          description:
            'After the first refused command of a kind, the next ones within this window are ' +
            'recorded as one command.rejected event with their count. 0: one event each.',
          minimum: 0,
          maximum: 3600,
          default: 60,
        }),
      },
    ),
    custodians: section(
      'Custodians',
      "Who may run the custodian's command line, and the daemon's local socket it goes through.",
      {
        socket: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          title: 'Custodian socket',
          description:
            'Unix socket where the running daemon takes the custodian commands ' +
            '(/run/keywarden/custodian.sock in the shipped config). Its directory must be ' +
            'writable by nobody but the daemon (or root). null: no socket, and the command ' +
            'line works only for whoever may open the database file, with the daemon stopped.',
          default: null,
        }),
        socketGroup: Type.Optional(
          Type.String({
            title: 'Socket group',
            description:
              "Group given the socket (mode 0660); the daemon's user must be a member. " +
              "Unset: the daemon's own group.",
            pattern: '^[a-z_][a-z0-9_-]{0,31}$',
          }),
        ),
        accounts: Type.Record(
          Type.String({ pattern: '^[a-z_][a-z0-9_-]{0,31}[$]?$' }),
          Type.Object(
            {
              account: Type.String({
                title: 'Account',
                description: 'The custodian named in every event this user records.',
                pattern: '^[A-Za-z0-9_.@-]{1,64}$',
              }),
              role: StringEnum(CUSTODIAN_ROLES, {
                title: 'Role',
                description:
                  "'viewer': reports and listings only; 'custodian': also every change; " +
                  "'admin': also tier rules and exports with full card numbers.",
              }),
              delegate: Type.Optional(
                Type.Boolean({
                  title: 'Delegate',
                  description:
                    "The web console's process: its requests may name the signed-in person " +
                    'they act for, recorded as <person>@<account> with the lesser of the two ' +
                    'roles. It has its own connection limit (it carries many people). Anyone ' +
                    'else naming a person is refused.',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          {
            title: 'Custodian accounts',
            description:
              'Local Unix user name -> custodian account and role. The daemon takes the user from the ' +
              "socket's peer credentials, never from the request; a user not listed is refused.",
            default: {},
          },
        ),
      },
    ),
    web: section(
      'Web console',
      "The custodians' web console (`keywarden web`, its own process and unit): where it listens " +
        'and how it reaches the daemon.',
      {
        host: Type.String({
          title: 'Host',
          description:
            'Address the console listens on. Plain HTTP is allowed only on a loopback address; ' +
            'any other needs tls.',
          minLength: 1,
          default: '127.0.0.1',
        }),
        port: Type.Integer({
          title: 'Port',
          description: 'TCP port; 0 picks any free port.',
          minimum: 0,
          maximum: 65535,
          default: 8080,
        }),
        tlsCert: Type.Optional(
          path(
            'TLS certificate',
            "PEM file of the site's certificate (and its chain): HTTPS and Secure cookies; " +
              'needs tlsKey. Unset: plain HTTP, on a loopback address only.',
          ),
        ),
        tlsKey: Type.Optional(
          path(
            'TLS key',
            "PEM file of the certificate's private key, readable only by the console.",
          ),
        ),
        accountsDatabase: Type.String({
          title: 'Accounts database',
          description:
            "SQLite file of the console's own accounts, password hashes and sessions; separate " +
            "from the cabinet's database, written only by the console's user.",
          minLength: 1,
          default: DEFAULT_WEB_ACCOUNTS_DATABASE,
        }),
        trustProxy: Type.Array(Type.String({ minLength: 1, maxLength: 45 }), {
          title: 'Trusted reverse proxies',
          description:
            'IP addresses of reverse proxies in front of the console: from them, the client is ' +
            "the address their X-Forwarded-For header adds, so sign-in's limits count each " +
            "client apart. Empty: the connection's own address is the client's, and a header " +
            'saying otherwise is ignored.',
          maxItems: 16,
          default: [],
          examples: [['127.0.0.1']],
        }),
      },
    ),
    log: section('Logging', 'Log output.', {
      level: StringEnum(LOG_LEVELS, {
        title: 'Log level',
        description: 'Least severe level that is logged.',
        default: 'info',
      }),
    }),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Keywarden configuration',
    description:
      'Configuration of one Keywarden daemon (one key cabinet). Only cabinetId and profile are required; ' +
      'everything else has a default.',
    additionalProperties: false,
  },
);

export type LogLevel = (typeof LOG_LEVELS)[number];

/** A config file once validated: every default filled in, paths as written. */
export type ConfigSettings = Static<typeof ConfigSchema>;

/** The daemon's configuration after loading: defaults applied, relative paths resolved. */
export interface KeywardenConfig extends ConfigSettings {
  /** Where it was loaded from (absolute). */
  file: string;
}

/** Everything that has a default: all but the file, the cabinet id and the optional keys. */
export type ConfigDefaults = Omit<KeywardenConfig, 'file' | 'cabinetId'>;

/**
 * The config file's JSON Schema as published and validated: keys with a default may be left
 * out. Plain JSON (TypeBox's symbol keys are not copied), so callers cannot alter ours.
 */
export function configFileSchema(): JsonSchema {
  return omittableDefaults(JSON.parse(JSON.stringify(ConfigSchema)) as JsonSchema);
}

/** The schema as printed by `keywarden config schema`. */
export const configSchemaJson = configFileSchema;
