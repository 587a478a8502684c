import { describe, expect, it } from 'vitest';
import {
  cardNumberOf,
  cardNumberRefusal,
  type OsdpCardFormat,
} from '../../../drivers/osdp/osdp-card-number.js';
import { encodeCard } from '../../../drivers/osdp/wiegand.js';

const FORMATS: OsdpCardFormat[] = [
  { kind: 'wiegand', format: 'H10301' },
  { kind: 'wiegand', format: 'H10304' },
  { kind: 'raw', bits: 32, as: 'hex' },
  { kind: 'raw', bits: 40, as: 'decimal' },
];

describe('OSDP card numbers as credentials store them', () => {
  it('every read card string is one enrolment accepts, and the extremes fit', () => {
    const reads = [
      encodeCard('H10301', 0, 0),
      encodeCard('H10301', 255, 65535),
      encodeCard('H10304', 65535, 524287),
      { bitCount: 32, data: Uint8Array.from([0xff, 0xff, 0xff, 0xff]) },
      { bitCount: 40, data: Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]) },
    ];
    for (const { bitCount, data } of reads) {
      const number = cardNumberOf({ reader: 0, format: 1, bitCount, data }, FORMATS);
      expect(number.ok).toBe(true);
      if (number.ok) {
        expect(number.card).toMatch(/^[0-9A-F]{1,20}$/);
        expect(cardNumberRefusal(number.card, FORMATS)).toBeUndefined();
      }
    }
  });

  it('enrolment refuses what these formats can never send', () => {
    const wiegand = FORMATS.slice(0, 2);
    // Facility 256 and card 65536 are past H10301's fields, 524288 past H10304's card field.
    for (const card of ['25601234', '00165536', '0123456', '65535524288', '0012ABCD']) {
      expect(cardNumberRefusal(card, wiegand)).toMatch(/^\(OSDP\) sends card numbers/);
    }
    // 7 hex digits is not a 32-bit read; 2^40 is past a 40-bit one; leading zeros never decimal.
    for (const card of ['0012ABC', '1099511627776', '0123']) {
      expect(cardNumberRefusal(card, FORMATS.slice(2))).toMatch(/^\(OSDP\)/);
    }
    expect(cardNumberRefusal('0012ABCD', FORMATS.slice(2))).toBeUndefined();
  });
});
