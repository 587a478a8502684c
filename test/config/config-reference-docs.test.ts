import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchemaJson } from '../../src/config/config-schema.js';
import type { JsonSchema } from '../../src/config/json-schema.js';
import { packageRoot } from '../../src/paths.js';

/**
 * docs/operations.md's table of config keys (### Keys) against the schema: every key has a
 * row, every row is a key, and a key's default reads as the schema's. The prose is the doc's
 * own; what can drift silently (a key added, renamed, a default changed) cannot.
 */

/** Each key people set, as `section.key`; arrays are set whole, so their items are not keys. */
function keysOf(schema: JsonSchema, prefix = ''): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const path = `${prefix}${key}`;
    return child.type === 'object' && child.properties !== undefined
      ? keysOf(child, `${path}.`)
      : [[path, child] as [string, JsonSchema]];
  });
}

/** Key → its Default cell, from the table under "### Keys". */
function documentedKeys(): Map<string, string> {
  const text = readFileSync(join(packageRoot(), 'docs', 'operations.md'), 'utf8');
  const section = text.split('\n### Keys\n')[1]?.split('\n#')[0] ?? '';
  const rows = new Map<string, string>();
  for (const [, key = '', cell = ''] of section.matchAll(/^\| `([^`]+)` +\| ([^|]*?) +\|/gm)) {
    rows.set(key, cell);
  }
  return rows;
}

/** How the table writes a default: code, a string as it is, anything else as JSON. */
const asCell = (value: unknown): string =>
  `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

describe('the config reference in docs/operations.md', () => {
  const schemaKeys = keysOf(configSchemaJson());
  const rows = documentedKeys();

  it('has one row per key, and no row for a key that does not exist', () => {
    expect(rows.size).toBeGreaterThan(30);
    expect([...rows.keys()].sort()).toEqual(schemaKeys.map(([key]) => key).sort());
  });

  it("gives each key's default as the schema does", () => {
    const wrong = schemaKeys
      .filter(
        ([key, schema]) => schema.default !== undefined && rows.get(key) !== asCell(schema.default),
      )
      .map(
        ([key, schema]) => `${key}: documented ${rows.get(key)}, schema ${asCell(schema.default)}`,
      );
    expect(wrong).toEqual([]);
  });
});
