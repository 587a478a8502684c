import { Type } from '@sinclair/typebox';
import { ConfigSchema, type ConfigSettings } from '../../config/config-schema.js';

/** The config file's policy section, as loaded (config.policy). */
export type PolicyValues = ConfigSettings['policy'];

export const PolicySettingSchema = Type.Object({
  name: Type.String(),
  title: Type.String(),
  description: Type.String(),
  value: Type.Union([Type.Integer(), Type.Boolean(), Type.Null()]),
});

interface Described {
  title?: string;
  description?: string;
}

/**
 * The cabinet's policy settings with the titles and descriptions the config schema gives them
 * (docs/operations.md prints the same): the console shows them read-only, since the config file
 * owns them and the daemon reads it at start.
 */
export function policySettings(values: PolicyValues) {
  const described = ConfigSchema.properties.policy.properties as Record<string, Described>;
  return Object.entries(described).map(([name, schema]) => ({
    name: `policy.${name}`,
    title: schema.title ?? name,
    description: schema.description ?? '',
    value: (values as Record<string, number | boolean | null>)[name] ?? null,
  }));
}
