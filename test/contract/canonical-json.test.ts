import { describe, expect, it } from 'vitest';
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

  it('encodes fractions and large numbers as ECMAScript does, -0 as 0', () => {
    expect(canonicalJson({ fromSeq: 1.5 })).toBe('{"fromSeq":1.5}');
    expect(canonicalJson([1e21, 1e-7, -0, 2 ** 53])).toBe('[1e+21,1e-7,0,9007199254740992]');
  });

  it('drops undefined members, and refuses what has no canonical encoding', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/Infinity/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/toJSON/);
    expect(() => canonicalJson({ s: 'half \ud83d a pair' })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(/lone surrogate/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/contains itself/);
  });

  it('encodes the same object twice in one value (shared, not a cycle)', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it('encodes values nested far deeper than the stack would allow a recursive encoder', () => {
    const depth = 200_000;
    let nested: unknown = {};
    let expected = '{}';
    for (let i = 0; i < depth; i++) {
      nested = i % 2 ? { a: nested } : [nested];
      expected = i % 2 ? `{"a":${expected}}` : `[${expected}]`;
    }
    expect(canonicalJson(nested) === expected).toBe(true);
  });
});
