import { dirname, resolve } from 'node:path';
import type { ConfigSettings, KeywardenConfig } from './config-schema.js';
import { CONFIG_VERSION } from './config-version.js';
import { validate as validateConfigFile } from './generated/config-validator.js';
import { isValidTimeZone } from '../domain/policy/local-time.js';
import { isProfileName } from './profile.js';
import { throwIfProblems, type Problem } from './problems.js';
import { readJsonFile } from './read-json-file.js';
import { forbiddenCharacterProblem } from '../domain/values/free-text.js';
import { problemsOf, type GeneratedValidator } from './schema-problems.js';

// Types only: the schema module (TypeBox) is not loaded at start-up, its generated validator is.
export type { ConfigDefaults, KeywardenConfig, LogLevel } from './config-schema.js';
export { CONFIG_VERSION } from './config-version.js';

/**
 * Checks a config file against the schema and fills in every default it declares (the
 * generated validator does both, in place).
 */
const validateSchema = problemsOf(validateConfigFile as GeneratedValidator);

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

/** Reads, validates and completes a config file; throws CONFIG_INVALID listing every problem. */
export function loadConfig(file: string): KeywardenConfig {
  return parseConfig(readJsonFile(file, 'CONFIG_INVALID'), file);
}

/**
 * Validates parsed config JSON and returns it with defaults applied and relative paths
 * resolved against the directory of `file`, so the daemon's working directory never matters.
 */
export function parseConfig(json: unknown, file: string): KeywardenConfig {
  throwIfProblems('CONFIG_INVALID', file, checkVersion(json));
  // A copy: filling in the defaults must not alter the caller's value.
  const filled = structuredClone(json);
  throwIfProblems('CONFIG_INVALID', file, validateSchema(filled));
  const raw = filled as ConfigSettings;
  throwIfProblems('CONFIG_INVALID', file, [
    ...checkMqtt(raw),
    ...checkTimeZone(raw),
    ...checkText(raw),
    ...checkScreen(raw),
  ]);
  return complete(raw, file);
}

/**
 * Runs before the schema so a file from a newer Keywarden gets a message that says so rather
 * than a list of unknown keys. Upgrades of older formats go here once version 2 exists.
 */
function checkVersion(json: unknown): Problem[] {
  if (typeof json !== 'object' || json === null || !('version' in json)) return [];
  const { version } = json;
  if (typeof version === 'number' && Number.isInteger(version) && version > CONFIG_VERSION) {
    return [
      {
        path: 'version',
        message: `is ${version}, but this Keywarden reads config format ${CONFIG_VERSION}; upgrade Keywarden`,
      },
    ];
  }
  return [];
}

/** Free text the broker and the server see: the one free-text rule, like every name. */
function checkText(raw: ConfigSettings): Problem[] {
  const clientId = raw.mqtt?.clientId;
  const message = clientId === undefined ? undefined : forbiddenCharacterProblem(clientId);
  return message === undefined ? [] : [{ path: 'mqtt.clientId', message }];
}

function checkTimeZone(raw: ConfigSettings): Problem[] {
  const zone = raw.cabinet?.timeZone;
  if (zone === undefined || isValidTimeZone(zone)) return [];
  return [
    { path: 'cabinet.timeZone', message: `is not an IANA time zone this system knows: "${zone}"` },
  ];
}

/**
 * The cabinet screen needs no login: served beyond the loopback address, anyone on the network
 * would see the session in progress and type on its pad. Only an explicit allowRemote says so.
 */
function checkScreen(raw: ConfigSettings): Problem[] {
  const host = raw.screen?.host;
  if (raw.screen?.kioskUser !== undefined && raw.screen.allowRemote === true) {
    // The kiosk user is known from this machine's own table of connections: a screen on
    // another machine has none, and would be refused every time.
    return [
      {
        path: 'screen.kioskUser',
        message:
          'cannot be set with screen.allowRemote: a screen on another machine has no local user to check',
      },
    ];
  }
  if (host === undefined || raw.screen?.allowRemote === true || isLoopbackHost(host)) return [];
  return [
    {
      path: 'screen.host',
      message: `is "${host}", not a loopback address; set screen.allowRemote to serve the cabinet screen beyond this machine`,
    },
  ];
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function checkMqtt(raw: ConfigSettings): Problem[] {
  const problems: Problem[] = [];
  const mqtt = raw.mqtt ?? {};
  if (mqtt.url !== undefined) {
    const protocol = URL.canParse(mqtt.url) ? new URL(mqtt.url).protocol : undefined;
    if (protocol === undefined || !MQTT_PROTOCOLS.includes(protocol)) {
      problems.push({
        path: 'mqtt.url',
        message: 'must be an mqtt://, mqtts://, ws:// or wss:// URL',
      });
    }
  }
  // A certificate without its key (or the reverse) cannot authenticate; say so at start-up
  // instead of as a TLS handshake failure later.
  if ((mqtt.cert === undefined) !== (mqtt.key === undefined)) {
    const missing = mqtt.cert === undefined ? 'cert' : 'key';
    const present = missing === 'cert' ? 'key' : 'cert';
    problems.push({ path: `mqtt.${missing}`, message: `is required when mqtt.${present} is set` });
  }
  return problems;
}

/** The defaults are in; what is left is what depends on the file's place and the cabinet id. */
function complete(raw: ConfigSettings, file: string): KeywardenConfig {
  const base = dirname(resolve(file));
  const at = (p: string): string => resolve(base, p);
  const mqtt = { clientId: `keywarden-${raw.cabinetId}`, ...raw.mqtt };
  for (const key of ['ca', 'cert', 'key'] as const) {
    const value = mqtt[key];
    if (value !== undefined) mqtt[key] = at(value);
  }
  const web = { ...raw.web, accountsDatabase: at(raw.web.accountsDatabase) };
  if (web.tlsCert !== undefined) web.tlsCert = at(web.tlsCert);
  if (web.tlsKey !== undefined) web.tlsKey = at(web.tlsKey);
  const sim = { ...raw.sim };
  if (sim.stateFile !== undefined) sim.stateFile = at(sim.stateFile);
  const readers = { ...raw.readers };
  if (readers.osdpKeyFile !== undefined) readers.osdpKeyFile = at(readers.osdpKeyFile);
  return {
    file: resolve(file),
    ...raw,
    profile: isProfileName(raw.profile) ? raw.profile : at(raw.profile),
    database: raw.database === ':memory:' ? raw.database : at(raw.database),
    mqtt,
    readers,
    sim,
    web,
    custodians: {
      ...raw.custodians,
      socket: raw.custodians.socket === null ? null : at(raw.custodians.socket),
    },
  };
}
