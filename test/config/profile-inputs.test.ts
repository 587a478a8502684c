import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from '../../src/config/profile.js';
import { hardwareDir } from '../../src/paths.js';
import { errorLines, rpiProfileJson } from './helpers.js';

const FILE = 'hardware/bad.json';
const problems = (json: unknown): string[] =>
  errorLines(() => parseProfile(json, FILE), 'PROFILE_INVALID');

describe('optional inputs in a profile', () => {
  it('are normalised with their pin name, polarity, debounce and what an emergency releases', () => {
    const rpi = loadProfile('rpi-8slot', hardwareDir());
    expect(rpi.inputs).toEqual({
      emergency: {
        pin: { bcm: 18, activeLow: true, name: 'input.emergency' },
        debounceMs: 100,
        releases: 'door',
      },
    });
    const sim = loadProfile('sim', hardwareDir());
    expect(sim.inputs.emergency?.releases).toBe('door');
    expect(sim.inputs.powerFail?.pin).toEqual({
      bcm: 30,
      activeLow: true,
      name: 'input.powerFail',
    });
  });

  it('default to a 50 ms debounce and to releasing the door only; absent means not wired', () => {
    const json = rpiProfileJson();
    json.inputs = { tamper: { pin: 2 }, emergency: { pin: 3 } };
    const profile = parseProfile(json, FILE);
    expect(profile.inputs.tamper?.debounceMs).toBe(50);
    expect(profile.inputs.emergency?.releases).toBe('door');
    expect(profile.inputs.emergency?.confirm).toBeUndefined();
    expect(profile.inputs.powerFail).toBeUndefined();
    delete json.inputs;
    expect(parseProfile(json, FILE).inputs).toEqual({});
  });

  it('a supervised emergency input has its confirming contact and a 1 s disagreement by default', () => {
    const json = rpiProfileJson();
    json.inputs = { emergency: { pin: 18, confirmPin: { bcm: 1, activeLow: false } } };
    expect(parseProfile(json, FILE).inputs.emergency?.confirm).toEqual({
      pin: { bcm: 1, activeLow: false, name: 'input.emergency.confirm' },
      disagreeMs: 1000,
    });
    json.inputs = { emergency: { pin: 18, confirmPin: 17 } };
    expect(problems(json).join('\n')).toContain('inputs.emergency.confirmPin');
  });

  it('an input on a pin already used names both fields', () => {
    const json = rpiProfileJson();
    json.inputs = { tamper: { pin: { bcm: 17, activeLow: true } } };
    expect(problems(json)).toEqual([
      'hardware/bad.json: inputs.tamper.pin: BCM pin 17 is already used by slots[0].solenoid',
    ]);
  });

  it('an unknown input, or an emergency releasing something else, is refused', () => {
    const json = rpiProfileJson();
    json.inputs = { smoke: { pin: 2 }, emergency: { pin: 3, releases: 'slots' } };
    const lines = problems(json);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('inputs.emergency.releases');
    expect(lines.join('\n')).toContain('smoke');
  });
});
