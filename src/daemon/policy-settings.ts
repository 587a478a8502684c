import type { KeywardenConfig } from '../config/config.js';
import type { PolicySettings } from '../domain/cabinet-state.js';
import type { LockoutSettings } from '../domain/lockout.js';

/** The config's `policy` section in the flow's units (milliseconds, undefined for no limit). */
export function policySettingsOf(config: KeywardenConfig): PolicySettings {
  const { policy } = config;
  return {
    ...(policy.maxKeysOut === null ? {} : { maxKeysOut: policy.maxKeysOut }),
    overdueBlocksTaking: policy.overdueBlocksTaking,
    overdueReminderMs: policy.overdueReminderMinutes * 60_000,
    authorisationWindowMs: policy.authorisationWindowSeconds * 1000,
    entryMs: policy.entrySeconds * 1000,
  };
}

/** The config's `lockout` section in the flow's units. */
export function lockoutSettingsOf(config: KeywardenConfig): LockoutSettings {
  const { lockout } = config;
  return {
    windowMs: lockout.windowSeconds * 1000,
    levels: lockout.levels.map((l) => ({ attempts: l.attempts, lockMs: l.lockSeconds * 1000 })),
    maxLockMs: lockout.maxLockMinutes * 60_000,
    forgetAfterMs: lockout.forgetAfterMinutes * 60_000,
    maxWrongPins: lockout.maxWrongPins,
  };
}
