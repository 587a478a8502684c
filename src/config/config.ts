import { dirname, resolve } from 'node:path';
import { CONFIG_VERSION, DEFAULT_CONFIG } from './config-defaults.js';
import { configSchema } from './config-schema.js';
import type { KeywardenConfig } from './config-types.js';
import { isValidTimeZone } from '../domain/policy/local-time.js';
import { isProfileName } from './profile.js';
import { throwIfProblems, type Problem } from './problems.js';
import { readJsonFile } from './read-json-file.js';
import { forbiddenCharacterProblem } from '../domain/values/free-text.js';
import { compileSchema } from './schema-validator.js';

export type { ConfigDefaults, KeywardenConfig, LogLevel } from './config-types.js';
export { DEFAULT_CONFIG, CONFIG_VERSION } from './config-defaults.js';
export { configSchemaJson } from './config-schema.js';

/** A config file that has passed the schema: sections and keys may be missing. */
type ConfigFile = { cabinetId: string; version?: 1 } & {
  [K in 'profile' | 'database']?: string;
} & {
  [
    K in
      | 'mqtt'
      | 'cabinet'
      | 'policy'
      | 'lockout'
      | 'readers'
      | 'sim'
      | 'log'
      | 'delivery'
      | 'clock'
      | 'commands'
  ]?: Partial<KeywardenConfig[K]>;
};

const validateSchema = compileSchema(configSchema);

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
  throwIfProblems('CONFIG_INVALID', file, validateSchema(json));
  const raw = json as ConfigFile;
  throwIfProblems('CONFIG_INVALID', file, [
    ...checkMqtt(raw),
    ...checkTimeZone(raw),
    ...checkText(raw),
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
function checkText(raw: ConfigFile): Problem[] {
  const clientId = raw.mqtt?.clientId;
  const message = clientId === undefined ? undefined : forbiddenCharacterProblem(clientId);
  return message === undefined ? [] : [{ path: 'mqtt.clientId', message }];
}

function checkTimeZone(raw: ConfigFile): Problem[] {
  const zone = raw.cabinet?.timeZone;
  if (zone === undefined || isValidTimeZone(zone)) return [];
  return [
    { path: 'cabinet.timeZone', message: `is not an IANA time zone this system knows: "${zone}"` },
  ];
}

function checkMqtt(raw: ConfigFile): Problem[] {
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

function complete(raw: ConfigFile, file: string): KeywardenConfig {
  const base = dirname(resolve(file));
  const at = (p: string): string => resolve(base, p);
  const mqtt: KeywardenConfig['mqtt'] = {
    ...DEFAULT_CONFIG.mqtt,
    clientId: `keywarden-${raw.cabinetId}`,
    ...raw.mqtt,
  };
  for (const key of ['ca', 'cert', 'key'] as const) {
    const value = mqtt[key];
    if (value !== undefined) mqtt[key] = at(value);
  }
  const profile = raw.profile ?? DEFAULT_CONFIG.profile;
  const database = raw.database ?? DEFAULT_CONFIG.database;
  return {
    file: resolve(file),
    version: CONFIG_VERSION,
    cabinetId: raw.cabinetId,
    profile: isProfileName(profile) ? profile : at(profile),
    database: database === ':memory:' ? database : at(database),
    mqtt,
    cabinet: { ...DEFAULT_CONFIG.cabinet, ...raw.cabinet },
    policy: { ...DEFAULT_CONFIG.policy, ...raw.policy },
    lockout: { ...DEFAULT_CONFIG.lockout, ...raw.lockout },
    readers: { ...DEFAULT_CONFIG.readers, ...raw.readers },
    sim: simSection(raw.sim, at),
    log: { ...DEFAULT_CONFIG.log, ...raw.log },
    delivery: { ...DEFAULT_CONFIG.delivery, ...raw.delivery },
    clock: { ...DEFAULT_CONFIG.clock, ...raw.clock },
    commands: { ...DEFAULT_CONFIG.commands, ...raw.commands },
  };
}

function simSection(
  raw: Partial<KeywardenConfig['sim']> | undefined,
  at: (p: string) => string,
): KeywardenConfig['sim'] {
  const sim = { ...DEFAULT_CONFIG.sim, ...raw };
  if (sim.stateFile !== undefined) sim.stateFile = at(sim.stateFile);
  return sim;
}
