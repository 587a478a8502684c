import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../src/contract/schemas.js';
import { MAX_ACK_BYTES, parseAck } from '../../src/mqtt/ack-message.js';

const parse = (text: string) => parseAck(Buffer.from(text));
const schemaAccepts = (text: string) => validateMessage('ack', JSON.parse(text)).length === 0;

describe('the acknowledgement: parser and ack.json are one contract', () => {
  it('refuses a member besides seq, as the schema does', () => {
    expect(parse('{"seq":5,"x":1}')).toMatchObject({ ok: false, reason: /unknown member "x"/ });
    expect(parse('{"seq":5,"seq2":5}').ok).toBe(false);
    expect(schemaAccepts('{"seq":5,"x":1}')).toBe(false);
  });

  it('takes a number by its value: 78, 78.0 and 78e0 are all 78, as in the schema', () => {
    for (const text of ['{"seq":78}', '{"seq":78.0}', '{"seq":78e0}', '{"seq":7.8E1}']) {
      expect(parse(text), text).toEqual({ ok: true, seq: 78 });
      expect(schemaAccepts(text), text).toBe(true);
    }
  });

  it('refuses fractions, negatives, numbers beyond 2^53−1, strings and missing seq', () => {
    for (const text of [
      '{"seq":78.5}',
      '{"seq":-1}',
      '{"seq":9007199254740992}',
      '{"seq":1e400}',
      '{"seq":"78"}',
      '{"seq":null}',
      '{}',
      '[78]',
      '78',
    ]) {
      expect(parse(text).ok, text).toBe(false);
      expect(schemaAccepts(text), text).toBe(false);
    }
    expect(parse('{"seq":9007199254740991}')).toEqual({ ok: true, seq: 2 ** 53 - 1 });
  });

  it('refuses what is not JSON, and payloads over 256 bytes whatever they hold', () => {
    expect(parse('{"seq":').ok).toBe(false);
    const padded = `{"seq":1${' '.repeat(MAX_ACK_BYTES)}}`;
    expect(parse(padded)).toMatchObject({ ok: false, reason: /too long/ });
  });

  it('accepts exactly what the schema accepts, for any small JSON payload (property)', () => {
    const seqLike = fc.oneof(
      fc.integer({ min: -5, max: 1000 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(2 ** 53 - 1, 2 ** 53, 78.0, -0),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const payload = fc.oneof(
      fc.record({ seq: seqLike }),
      fc.record({ seq: seqLike, x: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(payload, (value) => {
        const text = JSON.stringify(value);
        fc.pre(Buffer.byteLength(text) <= MAX_ACK_BYTES);
        return parse(text).ok === schemaAccepts(text);
      }),
      { numRuns: 3_000 },
    );
  });
});
