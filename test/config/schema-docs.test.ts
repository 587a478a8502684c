import { describe, expect, it } from 'vitest';
import { configSchemaJson } from '../../src/config/config-schema.js';
import type { JsonSchema } from '../../src/config/json-schema.js';
import { profileFileSchema } from '../../src/config/profile-schema.js';

/** Every property schema with its dotted path, recursing into objects and array items. */
function properties(schema: JsonSchema, path = ''): [string, JsonSchema][] {
  const own = Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const childPath = path === '' ? key : `${path}.${key}`;
    return [[childPath, child] as [string, JsonSchema], ...properties(child, childPath)];
  });
  return schema.items === undefined ? own : [...own, ...properties(schema.items, `${path}[]`)];
}

const undocumented = (schema: JsonSchema): string[] =>
  properties(schema)
    .filter(([, s]) => !s.title || !s.description)
    .map(([path]) => path);

describe('schemas document themselves', () => {
  it('every profile field has a title and a description', () => {
    expect(properties(profileFileSchema()).length).toBeGreaterThan(30);
    expect(undocumented(profileFileSchema())).toEqual([]);
  });

  it('every config key has a title, a description and a default unless it is optional', () => {
    const schema = configSchemaJson();
    expect(undocumented(schema)).toEqual([]);
    const withoutDefault = properties(schema)
      .filter(([, s]) => s.default === undefined)
      .map(([path]) => path);
    expect(withoutDefault).toEqual([
      'cabinetId',
      'profile',
      'mqtt.username',
      'mqtt.password',
      'mqtt.ca',
      'mqtt.cert',
      'mqtt.key',
      'mqtt.clientId',
      // Unset: any local user may open the cabinet screen (warned at start).
      'screen.kioskUser',
      // The fields of one escalation level: the list itself has a default.
      'lockout.levels[].attempts',
      'lockout.levels[].lockSeconds',
      // Unset: beside the database.
      'pins.pepperFile',
      'readers.badgePath',
      'readers.fobPath',
      // Unset: beside the database; only read when the profile's OSDP bus is secured.
      'readers.osdpKeyFile',
      'sim.stateFile',
      'commands.keys[].id',
      'commands.keys[].publicKey',
      'custodians.socketGroup',
      'web.tlsCert',
      'web.tlsKey',
    ]);
  });

  it('configSchemaJson returns a copy', () => {
    const schema = configSchemaJson();
    schema.title = 'changed';
    expect(configSchemaJson().title).toBe('Keywarden configuration');
  });
});
