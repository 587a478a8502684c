import { KeywardenError } from '../errors.js';
import type { HardwareProfile } from '../config/profile.js';
import { SELFTEST_PARTS, type SelftestPart } from './selftest-plan.js';
import type { SelftestTiming } from './selftest.js';

export interface SelftestChoice {
  parts: SelftestPart[];
  slots?: number[];
  timing: SelftestTiming;
}

const DEFAULT_PULSE_MS = 500;
const MIN_PULSE_MS = 20;
const DEFAULT_WAIT_S = 30;
const MAX_WAIT_S = 600;

/**
 * The command line's choices, each refused with the option named: a pulse longer than the
 * profile lets a coil stay on would cook it, so the profile's maxOnMs is the ceiling.
 */
export function readSelftestOptions(
  values: Record<string, string | boolean | undefined>,
  profile: HardwareProfile,
): SelftestChoice {
  const parts = list(values.only, '--only').map((part) => {
    if (!(SELFTEST_PARTS as readonly string[]).includes(part)) {
      throw usage(`--only: "${part}" is not one of ${SELFTEST_PARTS.join(', ')}`);
    }
    return part as SelftestPart;
  });
  const known = profile.slots.map((slot) => slot.number);
  const slots = list(values.slot, '--slot').map((text) => {
    const slot = whole(text, '--slot');
    if (!known.includes(slot)) {
      throw usage(
        `--slot: the profile ${profile.model} has no slot ${slot} (it has ${known.join(', ')})`,
      );
    }
    return slot;
  });
  const pulseMs = bounded(
    values['pulse-ms'],
    '--pulse-ms',
    DEFAULT_PULSE_MS,
    MIN_PULSE_MS,
    profile.solenoids.maxOnMs,
  );
  const waitS = bounded(values['wait-s'], '--wait-s', DEFAULT_WAIT_S, 1, MAX_WAIT_S);
  const choice: SelftestChoice = {
    parts: parts.length > 0 ? parts : [...SELFTEST_PARTS],
    timing: {
      pulseMs,
      // The door is pulled by hand: long enough to reach it, never past the coil's limit.
      doorReleaseMs: Math.min(3000, profile.solenoids.maxOnMs),
      indicatorMs: Math.max(pulseMs, 1000),
      waitMs: waitS * 1000,
      restMs: profile.solenoids.minOffMs,
    },
  };
  if (slots.length > 0) choice.slots = slots;
  return choice;
}

function list(value: string | boolean | undefined, option: string): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') throw usage(`${option} needs a value`);
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw usage(`${option}: an empty item in "${value}"`);
  return items;
}

function whole(text: string, option: string): number {
  if (!/^\d{1,6}$/.test(text)) throw usage(`${option}: "${text}" is not a whole number`);
  return Number(text);
}

function bounded(
  value: string | boolean | undefined,
  option: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return Math.min(fallback, max);
  if (typeof value !== 'string') throw usage(`${option} needs a value`);
  const number = whole(value, option);
  if (number < min || number > max)
    throw usage(`${option}: ${number} is not between ${min} and ${max}`);
  return number;
}

function usage(message: string): KeywardenError {
  return new KeywardenError('USAGE', message);
}
