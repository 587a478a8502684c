import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import { hardwareDir } from './helpers.js';

describe('shipped hardware profiles', () => {
  it('sim is a 12-slot simulated cabinet with in-process readers', () => {
    const profile = loadProfile('sim', hardwareDir);
    expect(profile.model).toBe('sim-12');
    expect(profile.gpio.driver).toBe('sim');
    expect(profile.slots.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(profile.solenoids).toEqual({ maxOnMs: 15000, maxConcurrent: 6, minOffMs: 0 });
    expect(profile.readers.badge).toEqual({
      path: 'sim:badge',
      baudRate: 9600,
      protocol: 'rdm6300',
    });
    expect(profile.readers.fob).toEqual({
      path: 'sim:fob',
      baudRate: 115200,
      protocol: 'fob-line',
    });
  });

  it('rpi-8slot is an 8-slot Pi cabinet with normalised, named pins', () => {
    const profile = loadProfile('rpi-8slot', hardwareDir);
    expect(profile.file).toBe(`${hardwareDir}rpi-8slot.json`);
    expect(profile.gpio.driver).toBe('onoff');
    expect(profile.slotCount).toBe(8);
    expect(profile.slots[2]?.solenoid).toEqual({
      bcm: 22,
      activeLow: false,
      name: 'slot3.solenoid',
    });
    expect(profile.slots[2]?.keyPresent).toEqual({
      bcm: 6,
      activeLow: true,
      name: 'slot3.keyPresent',
    });
    expect(profile.door.sensor).toMatchObject({ activeLow: true, name: 'door.sensor' });
    expect(profile.indicators.green.name).toBe('indicator.green');
    expect(profile.readers.badge.path).toBe('/dev/serial0');
    expect(profile.solenoids).toEqual({ maxOnMs: 10000, maxConcurrent: 2, minOffMs: 500 });
  });

  it('rpi-8slot keeps the UART, I2C and ID EEPROM pins free', () => {
    const profile = loadProfile('rpi-8slot', hardwareDir);
    const pins = [
      ...profile.slots.flatMap((s) => [s.solenoid, s.keyPresent]),
      profile.door.lock,
      profile.door.sensor,
      ...Object.values(profile.indicators),
    ].map((p) => p.bcm);
    expect(pins).toHaveLength(21);
    expect(pins.filter((bcm) => [0, 1, 2, 3, 14, 15].includes(bcm))).toEqual([]);
  });

  it('a name with a slash or dot is a path, not a profile name', () => {
    expect(loadProfile(`${hardwareDir}sim.json`, '/nonexistent').model).toBe('sim-12');
  });
});
