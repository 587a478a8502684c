import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PinSpec } from '../../drivers/gpio/gpio.js';
import type { HardwareProfile } from '../config/profile.js';
import type { Logger } from '../log/logger.js';
import { writeFileAtomically } from './atomic-file.js';

/**
 * The cabinet's outputs as they were when the daemon last started with a valid config and
 * profile. systemd runs `outputs-off` after every stop, a crash included; if the config or the
 * profile was edited badly since, that command cannot load them, and a coil left energised by
 * the crash would stay on. This list lets it drive the outputs off anyway.
 */
export interface LastGoodOutputs {
  model: string;
  driver: HardwareProfile['gpio']['driver'];
  chipLabels?: string[];
  /** The database whose lock says whether a daemon still holds these outputs. */
  database: string;
  outputs: PinSpec[];
}

export const LAST_GOOD_OUTPUTS_FILE = 'outputs-last-good.json';

/** Beside the database, in the daemon's state directory (/var/lib/keywarden under systemd). */
export function lastGoodOutputsFile(database: string): string | undefined {
  return database === ':memory:' ? undefined : join(dirname(database), LAST_GOOD_OUTPUTS_FILE);
}

/** Every output the profile drives: the solenoids, the door lock, the indicators. */
export function outputsOf(profile: HardwareProfile): PinSpec[] {
  const { door, indicators } = profile;
  return [
    ...profile.slots.map((slot) => slot.solenoid),
    door.lock,
    indicators.green,
    indicators.red,
    indicators.buzzer,
  ];
}

/** Written whole (atomically) each time the daemon starts; undefined when there is no file. */
export function saveLastGoodOutputs(
  profile: HardwareProfile,
  database: string,
): string | undefined {
  const file = lastGoodOutputsFile(database);
  if (!file) return undefined;
  const list: LastGoodOutputs = {
    model: profile.model,
    driver: profile.gpio.driver,
    ...(profile.gpio.chipLabels ? { chipLabels: profile.gpio.chipLabels } : {}),
    database,
    outputs: outputsOf(profile),
  };
  writeFileAtomically(file, `${JSON.stringify(list, null, 2)}\n`);
  return file;
}

/**
 * Called once the daemon has claimed its outputs with this config and profile. A failure to
 * write is logged, not fatal: the cabinet works without the list, only the fallback is lost.
 */
export function rememberLastGoodOutputs(
  profile: HardwareProfile,
  database: string,
  logger: Logger,
): void {
  try {
    const file = saveLastGoodOutputs(profile, database);
    if (file) logger.debug({ file }, 'last-known-good output list written');
  } catch (error) {
    logger.warn(
      { err: error },
      'could not write the last-known-good output list; outputs-off needs a valid config',
    );
  }
}

/** Reads the list back, checking each field it will act on; throws saying what is wrong. */
export function readLastGoodOutputs(file: string): LastGoodOutputs {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LastGoodOutputs> | null;
  const bad = (what: string) => new Error(`${file}: ${what}`);
  if (typeof parsed !== 'object' || parsed === null) throw bad('not an object');
  if (typeof parsed.model !== 'string') throw bad('"model" must be a string');
  if (parsed.driver !== 'sim' && parsed.driver !== 'onoff' && parsed.driver !== 'chardev')
    throw bad('"driver" must be sim, onoff or chardev');
  if (typeof parsed.database !== 'string') throw bad('"database" must be a string');
  if (!Array.isArray(parsed.outputs) || !parsed.outputs.every(isPinSpec)) {
    throw bad('"outputs" must be a list of pins ({ bcm, name, activeLow? })');
  }
  const chipLabels = parsed.chipLabels;
  if (
    chipLabels !== undefined &&
    !(Array.isArray(chipLabels) && chipLabels.every((l) => typeof l === 'string'))
  ) {
    throw bad('"chipLabels" must be a list of strings');
  }
  return {
    model: parsed.model,
    driver: parsed.driver,
    ...(chipLabels ? { chipLabels } : {}),
    database: parsed.database,
    outputs: parsed.outputs,
  };
}

function isPinSpec(value: unknown): value is PinSpec {
  const pin = value as Partial<PinSpec> | null;
  return (
    typeof pin === 'object' &&
    pin !== null &&
    Number.isInteger(pin.bcm) &&
    typeof pin.name === 'string' &&
    (pin.activeLow === undefined || typeof pin.activeLow === 'boolean')
  );
}
