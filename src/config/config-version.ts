/**
 * The config format this version of Keywarden reads. On its own so that start-up reads it
 * without loading the schema (TypeBox); the schema's `version` key is built from it.
 */
export const CONFIG_VERSION = 1;
