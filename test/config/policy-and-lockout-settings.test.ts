import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { lockoutSettingsOf, policySettingsOf } from '../../src/daemon/policy-settings.js';
import { DEFAULT_POLICY } from '../../src/domain/cabinet-state.js';
import { DEFAULT_LOCKOUT } from '../../src/domain/lockout.js';
import { errorLines } from './helpers.js';

const FILE = 'config/site.json';
const config = (extra: object) => parseConfig({ cabinetId: 'c1', profile: 'sim', ...extra }, FILE);

describe('the policy and lockout sections', () => {
  it('without them, the flow gets exactly its own defaults', () => {
    const defaults = config({});
    expect(lockoutSettingsOf(defaults)).toEqual(DEFAULT_LOCKOUT);
    expect(policySettingsOf(defaults)).toEqual(DEFAULT_POLICY);
  });

  it('a site’s lockout reaches the flow in its units', () => {
    const site = config({
      lockout: {
        windowSeconds: 30,
        levels: [{ attempts: 5, lockSeconds: 60 }],
        maxLockMinutes: 5,
        maxWrongPins: 3,
      },
      policy: { maxKeysOut: 2, entrySeconds: 30 },
    });
    expect(lockoutSettingsOf(site)).toEqual({
      windowMs: 30_000,
      levels: [{ attempts: 5, lockMs: 60_000 }],
      maxLockMs: 300_000,
      forgetAfterMs: DEFAULT_LOCKOUT.forgetAfterMs,
      maxWrongPins: 3,
    });
    expect(policySettingsOf(site)).toMatchObject({ maxKeysOut: 2, entryMs: 30_000 });
  });

  it('bad values are refused naming the field', () => {
    const lines = errorLines(
      () => config({ lockout: { levels: [{ attempts: 0, lockSeconds: 10 }] } }),
      'CONFIG_INVALID',
    );
    expect(lines.join('\n')).toMatch(/lockout\.levels\[0\]\.attempts/);
    expect(
      errorLines(() => config({ cabinet: { timeZone: 'Mars/Olympus' } }), 'CONFIG_INVALID'),
    ).toEqual([
      `${FILE}: cabinet.timeZone: is not an IANA time zone this system knows: "Mars/Olympus"`,
    ]);
  });
});
