import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCard, encodeCard, packBits } from '../../../drivers/osdp/wiegand.js';
import { hex, unhex } from './helpers/hex.js';

/** Bits typed as the format sheets print them, first bit first. */
function bits(text: string): { bitCount: number; data: Uint8Array } {
  const digits = text.replace(/\s/g, '');
  return { bitCount: digits.length, data: packBits(Array.from(digits, Number)) };
}

describe('H10301 (26 bits)', () => {
  it('reads the field notes example: facility 12, card 34567 from 86 43 83 C0', () => {
    expect(decodeCard(26, unhex('86 43 83 c0'))).toEqual({
      ok: true,
      value: { kind: 'wiegand', format: 'H10301', facility: 12, card: 34567 },
    });
  });

  it('writes it back', () => {
    const card = encodeCard('H10301', 12, 34567);
    expect([card.bitCount, hex(card.data)]).toEqual([26, '86 43 83 c0']);
  });

  it('reads the bits as the format sheet lays them out', () => {
    // even parity | facility 1 | card 1 | odd parity: bits 1-12 hold one 1 → even parity 1;
    // bits 13-24 hold one 1 → odd parity 0.
    const read = bits('1 00000001 0000000000000001 0');
    expect(decodeCard(read.bitCount, read.data)).toMatchObject({
      ok: true,
      value: { facility: 1, card: 1 },
    });
  });

  it('refuses a flipped parity bit or a flipped data bit', () => {
    for (const flip of [0, 5, 12, 13, 20, 25]) {
      const data = Buffer.from(unhex('86 43 83 c0'));
      data[flip >> 3] = (data[flip >> 3] ?? 0) ^ (0x80 >> (flip & 7));
      const read = decodeCard(26, data);
      expect(!read.ok && [read.error.code, read.error.message]).toEqual([
        'BAD_PARITY',
        'H10301 card read with a bad parity bit',
      ]);
    }
  });

  it('ignores the padding bits after the last one', () => {
    expect(decodeCard(26, unhex('86 43 83 ff'))).toMatchObject({
      ok: true,
      value: { card: 34567 },
    });
  });
});

describe('H10304 (37 bits)', () => {
  it('reads the bits as the format sheet lays them out', () => {
    // even parity over bits 1-18 | facility (16) | card (19) | odd parity over bits 18-35.
    // Facility 0x8001 = 1000000000000001, card 0x40001 = 1000000000000000001.
    // Bits 1-18: the facility's two 1s, the card's first bit (1) and second (0) → three 1s →
    // even parity 1. Bits 18-35, the card's last 18 bits: one 1 → odd parity 0.
    const read = bits('1 1000000000000001 1000000000000000001 0');
    expect(decodeCard(read.bitCount, read.data)).toEqual({
      ok: true,
      value: { kind: 'wiegand', format: 'H10304', facility: 0x8001, card: 0x40001 },
    });
  });

  it('counts bit 18 in both parities', () => {
    // Facility 0, card with only its second bit set (bit 18 of the frame): one 1 in 1-18 and one
    // in 18-35 → even parity 1, odd parity 0.
    const read = bits('1 0000000000000000 0100000000000000000 0');
    expect(decodeCard(read.bitCount, read.data)).toMatchObject({
      ok: true,
      value: { facility: 0, card: 1 << 17 },
    });
    const wrong = bits('1 0000000000000000 0100000000000000000 1');
    expect(decodeCard(wrong.bitCount, wrong.data)).toMatchObject({
      ok: false,
      error: { code: 'BAD_PARITY' },
    });
  });
});

describe('other bit counts', () => {
  it('come back as their bits for the profile to map', () => {
    expect(decodeCard(16, unhex('12 ab'))).toEqual({
      ok: true,
      value: { kind: 'bits', bitCount: 16, bits: '0001001010101011' },
    });
  });

  it('a 26-bit read is passed as bits when the profile does not use H10301', () => {
    expect(decodeCard(26, unhex('86 43 83 c0'), ['H10304'])).toMatchObject({
      ok: true,
      value: { kind: 'bits', bits: '10000110010000111000001111' },
    });
  });

  it('data too short for the bit count is refused', () => {
    expect(decodeCard(26, unhex('86 43 83'))).toMatchObject({
      ok: false,
      error: { code: 'MALFORMED_DATA' },
    });
    expect(decodeCard(0, unhex(''))).toMatchObject({
      ok: false,
      error: { code: 'MALFORMED_DATA' },
    });
  });
});

describe('properties', () => {
  it('encode → decode gives back any facility and card', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            format: fc.constant('H10301' as const),
            facility: fc.integer({ min: 0, max: 0xff }),
            card: fc.integer({ min: 0, max: 0xffff }),
          }),
          fc.record({
            format: fc.constant('H10304' as const),
            facility: fc.integer({ min: 0, max: 0xffff }),
            card: fc.integer({ min: 0, max: 0x7ffff }),
          }),
        ),
        ({ format, facility, card }) => {
          const { bitCount, data } = encodeCard(format, facility, card);
          expect(decodeCard(bitCount, data)).toEqual({
            ok: true,
            value: { kind: 'wiegand', format, facility, card },
          });
        },
      ),
    );
  });

  it('any single flipped bit is refused, never read as another card', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('H10301' as const, 'H10304' as const),
        fc.integer({ min: 0, max: 0xff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.nat(),
        (format, facility, card, at) => {
          const { bitCount, data } = encodeCard(format, facility, card);
          const flip = at % bitCount;
          const flipped = Uint8Array.from(data);
          flipped[flip >> 3] = (flipped[flip >> 3] ?? 0) ^ (0x80 >> (flip & 7));
          expect(decodeCard(bitCount, flipped)).toMatchObject({
            ok: false,
            error: { code: 'BAD_PARITY' },
          });
        },
      ),
    );
  });

  it('refuses to encode values the format cannot hold', () => {
    expect(() => encodeCard('H10301', 256, 1)).toThrow(/facility code below 256/);
    expect(() => encodeCard('H10304', 1, 0x80000)).toThrow(/card number below 524288/);
  });
});
