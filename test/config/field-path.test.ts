import { describe, expect, it } from 'vitest';
import { toFieldPath } from '../../src/config/schema-problems.js';
import { jsonErrorOffset, lineAndColumn } from '../../src/config/json-syntax.js';

describe('toFieldPath', () => {
  it('turns a JSON pointer into the path people write', () => {
    expect(toFieldPath('/slots/3/solenoid')).toBe('slots[3].solenoid');
    expect(toFieldPath('/mqtt/url')).toBe('mqtt.url');
    expect(toFieldPath('/a~1b/c~0d')).toBe('a/b.c~d');
    expect(toFieldPath('')).toBe('');
  });
});

describe('jsonErrorOffset', () => {
  const offsetOf = (text: string): number | undefined => {
    try {
      JSON.parse(text);
    } catch (error) {
      return jsonErrorOffset(text, (error as Error).message);
    }
    return expect.unreachable(`${text} parsed`);
  };

  it.each([
    // V8 names these positions itself.
    ['{"a": 1,}', 8],
    ['[1, 2', 5],
    ['{"a": "x\\q"}', 9],
    ['{"a": 01}', 7],
    ['{} {}', 3],
    ['', 0],
    // Unexpected tokens, which V8 quotes instead of placing: near the start of the text (the
    // '}' where the 'e' of true belongs), far from it, and in a short text.
    ['{"a": tru}', 9],
    ['{"key": "value", "other": [1, 2, 3], "b": nope}', 43],
    ['{\n  "cabinetId": c1\n}', 17],
    ['[1,,2]', 3],
    ['x', 0],
  ])('finds the offset in %j', (text, offset) => {
    expect(offsetOf(text)).toBe(offset);
  });

  it('says nothing for wording it does not know', () => {
    expect(jsonErrorOffset('{', 'SyntaxError: something else')).toBeUndefined();
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('{\n  "a": x\n}', 9)).toEqual({ line: 2, column: 8 });
  });
});
