import { describe, expect, it } from 'vitest';
import { toFieldPath } from '../../src/config/schema-problems.js';
import { findJsonSyntaxError, lineAndColumn } from '../../src/config/json-syntax.js';

describe('toFieldPath', () => {
  it('turns a JSON pointer into the path people write', () => {
    expect(toFieldPath('/slots/3/solenoid')).toBe('slots[3].solenoid');
    expect(toFieldPath('/mqtt/url')).toBe('mqtt.url');
    expect(toFieldPath('/a~1b/c~0d')).toBe('a/b.c~d');
    expect(toFieldPath('')).toBe('');
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1,}', 8],
    ['[1, 2', 5],
    ['{"a": tru}', 6],
    ['{"a": "x\\q"}', 9],
    ['{"a": 01}', 7],
    ['{} {}', 3],
    ['', 0],
  ])('finds the offset in %j', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toBe(offset);
  });

  it('accepts valid JSON', () => {
    expect(
      findJsonSyntaxError('{"a": [1, -2.5e3, "\\u00e9", true, null], "b": {}}'),
    ).toBeUndefined();
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('{\n  "a": x\n}', 9)).toEqual({ line: 2, column: 8 });
  });
});
