import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile, validateProfile } from '../../src/config/profile.js';
import { errorLines, rpiProfileJson } from './helpers.js';

const FILE = 'hardware/bad.json';
const problems = (json: unknown): string[] =>
  errorLines(() => parseProfile(json, FILE), 'PROFILE_INVALID');

describe('profile validation errors name the file and the field', () => {
  it('a BCM pin used twice names both fields', () => {
    const json = rpiProfileJson();
    json.slots[3]!.solenoid = 17; // slot 1's solenoid
    expect(problems(json)).toEqual([
      'hardware/bad.json: slots[3].solenoid: BCM pin 17 is already used by slots[0].solenoid',
    ]);
  });

  it('the model and description follow the one text rule', () => {
    const json = rpiProfileJson();
    json.model = 'rpi\n8slot';
    json.description = 'A cabinet \u202eevil';
    expect(problems(json)).toEqual([
      expect.stringMatching(/^hardware\/bad\.json: model: contains U\+000A \(a line break\)/),
      expect.stringMatching(/^hardware\/bad\.json: description: contains U\+202E/),
    ]);
  });

  it('slotCount must match the number of slots', () => {
    const json = rpiProfileJson();
    json.slotCount = 9;
    expect(problems(json)).toEqual(['hardware/bad.json: slots: has 8 entries but slotCount is 9']);
  });

  it('slots must be numbered 1..N in order', () => {
    const json = rpiProfileJson();
    json.slots[1]!.number = 3;
    expect(problems(json)).toEqual([
      'hardware/bad.json: slots[1].number: is 3 but must be 2 (slots are numbered 1..8 in order)',
    ]);
  });

  it('an ascii-line badge reader needs a lineFormat', () => {
    const json = rpiProfileJson();
    json.readers.badge.protocol = 'ascii-line';
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.badge.lineFormat: is required for protocol ascii-line ("decimal" or "hex")',
    ]);
  });

  it('the fob reader must speak fob-line', () => {
    const json = rpiProfileJson();
    json.readers.fob.protocol = 'rdm6300';
    expect(problems(json)).toEqual([
      'hardware/bad.json: readers.fob.protocol: must be one of "fob-line"',
    ]);
  });

  it('an unknown key is an error that suggests the near miss', () => {
    const json = rpiProfileJson();
    json.slots[0]!.keyPresent = { bcm: 4, activLow: true };
    expect(problems(json)).toEqual([
      'hardware/bad.json: slots[0].keyPresent.activLow: is not a known key (did you mean "activeLow"?)',
    ]);
  });

  it('a wrong type is reported with its path', () => {
    const json = rpiProfileJson();
    json.slots[4]!.solenoid = '24';
    (json.solenoids as Record<string, unknown>).maxConcurrent = 0;
    expect(problems(json)).toEqual([
      'hardware/bad.json: slots[4].solenoid: must be an integer or an object',
      'hardware/bad.json: solenoids.maxConcurrent: must be at least 1',
    ]);
  });

  it('onoff pins must be on the 40-pin header', () => {
    const json = rpiProfileJson();
    json.door = { lock: 16, sensor: 28 };
    expect(problems(json)).toEqual([
      'hardware/bad.json: door.sensor: BCM pin 28 is not on the 40-pin header (0-27)',
    ]);
  });

  it('chardev is a driver, and its pins must be on the header too', () => {
    const json = rpiProfileJson();
    json.gpio = { driver: 'chardev', chipLabels: ['pinctrl-rp1'] };
    expect(validateProfile(json, FILE)).toEqual([]);
    json.door = { lock: 16, sensor: 28 };
    expect(validateProfile(json, FILE)).toEqual([
      'hardware/bad.json: door.sensor: BCM pin 28 is not on the 40-pin header (0-27)',
    ]);
    json.gpio = { driver: 'gpiod' };
    expect(validateProfile(json, FILE)[0]).toMatch(/^hardware\/bad.json: gpio.driver: .*chardev/);
  });

  it('reports every problem, not just the first', () => {
    const json = rpiProfileJson();
    delete json.model;
    (json.solenoids as Record<string, unknown>).maxOnMs = 99;
    expect(validateProfile(json, FILE)).toEqual([
      'hardware/bad.json: model: is required',
      'hardware/bad.json: solenoids.maxOnMs: must be at least 100',
    ]);
  });

  it('a missing profile file says so', () => {
    expect(
      errorLines(() => loadProfile('nope', '/nonexistent/hardware'), 'PROFILE_INVALID'),
    ).toEqual(['/nonexistent/hardware/nope.json: file not found']);
  });
});
