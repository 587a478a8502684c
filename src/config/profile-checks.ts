import { HEADER_BCM_MAX } from '../../drivers/gpio/pin-claims.js';
import { forbiddenCharacterProblem } from '../domain/values/free-text.js';
import type { Problem } from './problems.js';
import type { RawCardFormat, RawPin, RawProfile } from './profile-schema.js';

/** A contact input as written in a profile file. */
export type RawContactInput = NonNullable<NonNullable<RawProfile['inputs']>['tamper']>;

/**
 * The speeds an OSDP bus may run at (OSDP v2.2's list up to 115200; 230400 is left out, few
 * readers take it and RS-485 HATs on the Pi's UART are not rated for it). Here rather than in
 * the schema because the daemon loads no schema tool before its outputs are off.
 */
export const OSDP_PROFILE_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

/** The optional inputs present in a profile, in a fixed order. */
export const OPTIONAL_INPUTS = ['tamper', 'powerFail', 'emergency'] as const;

export function bcmOf(pin: RawPin): number {
  return typeof pin === 'number' ? pin : pin.bcm;
}

/** Every pin with its field path, in file order, so problems can name both fields. */
export function pinsWithPaths(raw: RawProfile): { path: string; pin: RawPin }[] {
  return [
    ...raw.slots.flatMap((slot, i) => [
      { path: `slots[${i}].solenoid`, pin: slot.solenoid },
      { path: `slots[${i}].keyPresent`, pin: slot.keyPresent },
    ]),
    { path: 'door.lock', pin: raw.door.lock },
    { path: 'door.sensor', pin: raw.door.sensor },
    { path: 'indicators.green', pin: raw.indicators.green },
    { path: 'indicators.red', pin: raw.indicators.red },
    { path: 'indicators.buzzer', pin: raw.indicators.buzzer },
    ...OPTIONAL_INPUTS.flatMap((name) => {
      const input = raw.inputs?.[name];
      return input ? [{ path: `inputs.${name}.pin`, pin: input.pin }] : [];
    }),
    ...(raw.inputs?.emergency?.confirmPin === undefined
      ? []
      : [{ path: 'inputs.emergency.confirmPin', pin: raw.inputs.emergency.confirmPin }]),
  ];
}

/** The rules a schema cannot state readably. Runs only on a profile that passed the schema. */
export function checkProfile(raw: RawProfile): Problem[] {
  return [...checkText(raw), ...checkSlots(raw), ...checkPins(raw), ...checkReaders(raw)];
}

/** The model is reported to the central server: the one free-text rule, like every name. */
function checkText(raw: RawProfile): Problem[] {
  return (['model', 'description'] as const).flatMap((path) => {
    const message = forbiddenCharacterProblem(raw[path]);
    return message === undefined ? [] : [{ path, message }];
  });
}

function checkSlots(raw: RawProfile): Problem[] {
  const problems: Problem[] = [];
  if (raw.slots.length !== raw.slotCount) {
    problems.push({
      path: 'slots',
      message: `has ${raw.slots.length} entries but slotCount is ${raw.slotCount}`,
    });
  }
  raw.slots.forEach((slot, i) => {
    // Slot numbers are what people see on the cabinet and in the audit log; entry i being
    // slot i+1 lets everything else index by number without a lookup.
    if (slot.number !== i + 1) {
      problems.push({
        path: `slots[${i}].number`,
        message: `is ${slot.number} but must be ${i + 1} (slots are numbered 1..${raw.slotCount} in order)`,
      });
    }
  });
  return problems;
}

function checkPins(raw: RawProfile): Problem[] {
  const problems: Problem[] = [];
  const users = new Map<number, string>();
  for (const { path, pin } of pinsWithPaths(raw)) {
    const bcm = bcmOf(pin);
    // The simulator models cabinets bigger than a Pi header, so only real GPIO is limited.
    if (raw.gpio.driver !== 'sim' && bcm > HEADER_BCM_MAX) {
      problems.push({
        path,
        message: `BCM pin ${bcm} is not on the 40-pin header (0-${HEADER_BCM_MAX})`,
      });
    }
    const user = users.get(bcm);
    if (user === undefined) users.set(bcm, path);
    else problems.push({ path, message: `BCM pin ${bcm} is already used by ${user}` });
  }
  return problems;
}

function checkReaders(raw: RawProfile): Problem[] {
  const problems: Problem[] = [];
  for (const role of ['badge', 'fob'] as const) {
    const reader = raw.readers[role];
    const path = `readers.${role}.lineFormat`;
    if (reader.protocol === 'ascii-line' && reader.lineFormat === undefined) {
      // No standard exists for ASCII readers; guessing decimal vs hex would misread cards.
      problems.push({ path, message: 'is required for protocol ascii-line ("decimal" or "hex")' });
    }
    if (reader.protocol !== 'ascii-line' && reader.lineFormat !== undefined) {
      problems.push({
        path,
        message: `only applies to protocol ascii-line, not ${reader.protocol}`,
      });
    }
    problems.push(...checkOsdp(reader, `readers.${role}`));
  }
  return problems;
}

type RawReader = RawProfile['readers']['badge'] | RawProfile['readers']['fob'];

/** An OSDP bus: its settings present exactly when the protocol is osdp, and coherent. */
function checkOsdp(reader: RawReader, path: string): Problem[] {
  if (reader.protocol !== 'osdp') {
    return reader.osdp === undefined
      ? []
      : [
          {
            path: `${path}.osdp`,
            message: `only applies to protocol osdp, not ${reader.protocol}`,
          },
        ];
  }
  const problems: Problem[] = [];
  if (!(OSDP_PROFILE_BAUD_RATES as readonly number[]).includes(reader.baudRate)) {
    problems.push({
      path: `${path}.baudRate`,
      message: `is ${reader.baudRate}, but an OSDP bus runs at ${OSDP_PROFILE_BAUD_RATES.join(', ')}`,
    });
  }
  if (reader.silenceMs !== undefined) {
    // Polled readers answer every poll: the bus itself declares one offline after 8 s.
    problems.push({
      path: `${path}.silenceMs`,
      message: 'does not apply to protocol osdp (a reader is offline after 8 s without a reply)',
    });
  }
  const bus = reader.osdp;
  if (bus === undefined) {
    return [...problems, { path: `${path}.osdp`, message: 'is required for protocol osdp' }];
  }
  return [
    ...problems,
    ...checkOsdpReaders(bus.readers, `${path}.osdp.readers`),
    ...checkCardFormats(bus.cardFormats ?? [], `${path}.osdp.cardFormats`),
  ];
}

function checkOsdpReaders(
  readers: NonNullable<RawReader['osdp']>['readers'],
  path: string,
): Problem[] {
  const problems: Problem[] = [];
  const addresses = new Map<number, number>();
  const names = new Map<string, number>();
  readers.forEach((reader, i) => {
    const sameAddress = addresses.get(reader.address);
    if (sameAddress === undefined) addresses.set(reader.address, i);
    else
      problems.push({
        path: `${path}[${i}].address`,
        message: `${reader.address} is already used by ${path}[${sameAddress}]`,
      });
    const sameName = names.get(reader.name);
    if (sameName === undefined) names.set(reader.name, i);
    else
      problems.push({
        path: `${path}[${i}].name`,
        message: `"${reader.name}" is already used by ${path}[${sameName}]`,
      });
  });
  const badges = readers.flatMap((r, i) => ((r.role ?? 'badge') === 'badge' ? [i] : []));
  if (badges.length !== 1) {
    problems.push({
      path,
      message:
        badges.length === 0
          ? 'has no reader with role "badge": the cabinet needs exactly one'
          : `has ${badges.length} readers with role "badge" (${badges.map((i) => `[${i}]`).join(', ')}): the cabinet takes cards from exactly one; make the others "polled"`,
    });
  }
  return problems;
}

/** The bit count decides the format: a second format of the same length could never be used. */
function checkCardFormats(formats: readonly RawCardFormat[], path: string): Problem[] {
  const problems: Problem[] = [];
  const lengths = new Map<number, number>();
  formats.forEach((format, i) => {
    const bits = cardFormatBits(format);
    const first = lengths.get(bits);
    if (first === undefined) lengths.set(bits, i);
    else
      problems.push({
        path: `${path}[${i}]`,
        message: `reads ${bits} bits like ${path}[${first}], which comes first and always wins`,
      });
  });
  return problems;
}

export function cardFormatBits(format: RawCardFormat): number {
  if (format === 'H10301') return 26;
  if (format === 'H10304') return 37;
  return format.bits;
}
