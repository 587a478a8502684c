import { configFileSchema, type ConfigDefaults } from './config-schema.js';
import { defaultsOf } from './schema-defaults.js';

/**
 * Every default, read from the schema's `default` annotations: the printed schema, the loader
 * (whose generated validator fills the same annotations in) and this value cannot disagree.
 */
export const DEFAULT_CONFIG = defaultsOf(configFileSchema()) as unknown as ConfigDefaults;
