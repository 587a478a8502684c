import type { JsonSchema } from './json-schema.js';

/**
 * The schema of the file as people write it: a key that has a default may be left out, so it
 * is not `required` there. Schemas are written with such keys required because that is the
 * shape after loading (Ajv fills the defaults in), and it is that shape the types derive from.
 */
export function omittableDefaults(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (schema.properties !== undefined) {
    const properties = schema.properties;
    copy.properties = Object.fromEntries(
      Object.entries(properties).map(([key, child]) => [key, omittableDefaults(child)]),
    );
    const required = (schema.required ?? []).filter(
      (key) => properties[key]?.default === undefined,
    );
    if (required.length > 0) copy.required = required;
    else delete copy.required;
  }
  if (schema.items !== undefined) copy.items = omittableDefaults(schema.items);
  return copy;
}

/**
 * Every default of an object schema as one value, as Ajv's `useDefaults` fills them into an
 * empty file: a section's default (`{}`) is completed with the defaults of its keys.
 */
export function defaultsOf(schema: JsonSchema): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (child.default === undefined) continue;
    const value: unknown = structuredClone(child.default);
    defaults[key] =
      child.properties !== undefined && isPlainObject(value)
        ? { ...defaultsOf(child), ...value }
        : value;
  }
  return defaults;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
