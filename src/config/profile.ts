import { join, resolve } from 'node:path';
import { validate as validateProfileFile } from './generated/profile-validator.js';
import { bcmOf, checkProfile, type RawContactInput } from './profile-checks.js';
import type { RawCardFormat, RawPin, RawProfile } from './profile-schema.js';
import { problemsOf, type GeneratedValidator } from './schema-problems.js';
import { readJsonFile } from './read-json-file.js';
import { formatProblem, throwIfProblems } from './problems.js';
import type {
  ContactInputSpec,
  HardwareProfile,
  OsdpBusSpec,
  OsdpCardFormat,
  PinSpec,
  ProfileInputs,
  ReaderSpec,
} from './profile-types.js';

export type {
  ContactInputSpec,
  EmergencyReleases,
  HardwareProfile,
  OsdpBusSpec,
  OsdpCardFormat,
  OsdpReaderEntry,
  OsdpReaderRole,
  ProfileInputs,
  PinSpec,
  ReaderProtocol,
  ReaderSpec,
  SlotSpec,
} from './profile-types.js';

const validateSchema = problemsOf(validateProfileFile as GeneratedValidator);

/**
 * A bare name (letters, digits, '_' and '-') names a profile shipped in hardware/; anything
 * else (a slash, a dot) is a path to a profile file.
 */
export function isProfileName(nameOrPath: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(nameOrPath);
}

/** Loads `<hardwareDir>/<name>.json` for a bare name like `sim`, otherwise the given path. */
export function loadProfile(nameOrPath: string, hardwareDir: string): HardwareProfile {
  const file = isProfileName(nameOrPath) ? join(hardwareDir, `${nameOrPath}.json`) : nameOrPath;
  return parseProfile(readJsonFile(file, 'PROFILE_INVALID'), file);
}

/**
 * Every problem with a parsed profile file, one line each (`file: field: what is wrong`);
 * empty when it is valid. Cross-field rules are only checked once the schema passes, because
 * they need the fields they compare to be there.
 */
export function validateProfile(json: unknown, file: string): string[] {
  const schemaProblems = validateSchema(json);
  const problems = schemaProblems.length > 0 ? schemaProblems : checkProfile(json as RawProfile);
  return problems.map((problem) => formatProblem(file, problem));
}

/** Validates and normalises a parsed profile; throws PROFILE_INVALID listing every problem. */
export function parseProfile(json: unknown, file: string): HardwareProfile {
  throwIfProblems('PROFILE_INVALID', file, validateSchema(json));
  const raw = json as RawProfile;
  throwIfProblems('PROFILE_INVALID', file, checkProfile(raw));
  return normalise(raw, file);
}

function normalise(raw: RawProfile, file: string): HardwareProfile {
  const gpio: HardwareProfile['gpio'] = { driver: raw.gpio.driver };
  if (raw.gpio.chipLabels !== undefined) gpio.chipLabels = [...raw.gpio.chipLabels];
  return {
    file: resolve(file),
    model: raw.model,
    description: raw.description,
    gpio,
    slotCount: raw.slotCount,
    slots: raw.slots.map((slot) => ({
      number: slot.number,
      solenoid: pinSpec(slot.solenoid, `slot${slot.number}.solenoid`),
      keyPresent: pinSpec(slot.keyPresent, `slot${slot.number}.keyPresent`),
    })),
    door: {
      lock: pinSpec(raw.door.lock, 'door.lock'),
      sensor: pinSpec(raw.door.sensor, 'door.sensor'),
    },
    indicators: {
      green: pinSpec(raw.indicators.green, 'indicator.green'),
      red: pinSpec(raw.indicators.red, 'indicator.red'),
      buzzer: pinSpec(raw.indicators.buzzer, 'indicator.buzzer'),
    },
    solenoids: { ...raw.solenoids },
    readers: { badge: readerSpec(raw.readers.badge), fob: readerSpec(raw.readers.fob) },
    inputs: profileInputs(raw),
  };
}

const DEFAULT_INPUT_DEBOUNCE_MS = 50;
const DEFAULT_DISAGREE_MS = 1000;

function profileInputs(raw: RawProfile): ProfileInputs {
  const inputs: ProfileInputs = {};
  const contact = (input: RawContactInput, name: string): ContactInputSpec => ({
    pin: pinSpec(input.pin, name),
    debounceMs: input.debounceMs ?? DEFAULT_INPUT_DEBOUNCE_MS,
  });
  const { tamper, powerFail, emergency } = raw.inputs ?? {};
  if (tamper) inputs.tamper = contact(tamper, 'input.tamper');
  if (powerFail) inputs.powerFail = contact(powerFail, 'input.powerFail');
  if (emergency)
    inputs.emergency = {
      ...contact(emergency, 'input.emergency'),
      releases: emergency.releases ?? 'door',
      ...(emergency.confirmPin === undefined
        ? {}
        : {
            confirm: {
              pin: pinSpec(emergency.confirmPin, 'input.emergency.confirm'),
              disagreeMs: emergency.disagreeMs ?? DEFAULT_DISAGREE_MS,
            },
          }),
    };
  return inputs;
}

function pinSpec(pin: RawPin, name: string): PinSpec {
  const activeLow = typeof pin === 'number' ? false : (pin.activeLow ?? false);
  return { bcm: bcmOf(pin), activeLow, name };
}

type RawReader = RawProfile['readers']['badge'] | RawProfile['readers']['fob'];

function readerSpec(reader: RawReader): ReaderSpec {
  const spec: ReaderSpec = {
    path: reader.path,
    baudRate: reader.baudRate,
    protocol: reader.protocol,
  };
  if (reader.lineFormat !== undefined) spec.lineFormat = reader.lineFormat;
  if (reader.silenceMs !== undefined) spec.silenceMs = reader.silenceMs;
  if (reader.osdp !== undefined) spec.osdp = osdpBusSpec(reader.osdp);
  return spec;
}

function osdpBusSpec(raw: NonNullable<RawReader['osdp']>): OsdpBusSpec {
  return {
    readers: raw.readers.map((r) => ({
      address: r.address,
      name: r.name,
      role: r.role ?? 'badge',
    })),
    cardFormats: (raw.cardFormats ?? ['H10301', 'H10304']).map(cardFormat),
    secure: raw.secure ?? 'on',
    feedback: raw.feedback ?? 'both',
  };
}

function cardFormat(raw: RawCardFormat): OsdpCardFormat {
  return typeof raw === 'string'
    ? { kind: 'wiegand', format: raw }
    : { kind: 'raw', bits: raw.bits, as: raw.as };
}
