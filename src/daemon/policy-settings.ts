import type { KeywardenConfig } from '../config/config.js';
import type { PolicySettings } from '../domain/cabinet-state.js';

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
