import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../../src/contract/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every depth, with no white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' }, B: false })).toBe(
      '{"B":false,"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('escapes strings exactly as JSON does and keeps non-ASCII as is', () => {
    expect(canonicalJson({ s: 'Zoë "K-1"\n\u0001' })).toBe('{"s":"Zoë \\"K-1\\"\\n\\u0001"}');
  });

  it('drops undefined members, and refuses what it cannot encode without ambiguity', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(() => canonicalJson({ n: 1.5 })).toThrow(/safe integers/);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });

  it('is independent of key insertion order and parses back to the same value (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.string(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const encoded = canonicalJson(value);
        const reordered = JSON.parse(JSON.stringify(value, null, 0)) as unknown;
        return (
          encoded === canonicalJson(reordered) && canonicalJson(JSON.parse(encoded)) === encoded
        );
      }),
    );
  });
});
