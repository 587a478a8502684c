import { accepted, OsdpError, refused, type Checked } from './osdp-error.js';

/**
 * Card numbers from the bits of a RAW reply, for the Wiegand formats Keywarden knows, with their
 * parity checked; and back (the PD simulator sends cards this way).
 *
 * Bits are numbered from 0, the first sent (the top bit of the RAW data's first byte):
 *
 * - H10301, 26 bits: 0 even parity over 1-12 | 1-8 facility code (8 bits) | 9-24 card number
 *   (16 bits) | 25 odd parity over 13-24. Facility 12, card 34567 → 86 43 83 C0.
 * - H10304, 37 bits: 0 even parity over 1-18 | 1-16 facility code (16 bits) | 17-35 card
 *   number (19 bits) | 36 odd parity over 18-35 (bit 18 counts in both halves).
 *
 * Another bit count is not guessed at: it comes back as its bits, for the profile to map.
 */
export type WiegandFormat = 'H10301' | 'H10304';

export type CardRead =
  | { kind: 'wiegand'; format: WiegandFormat; facility: number; card: number }
  /** Bits of a length no known format has, as '0'/'1' characters, first bit first. */
  | { kind: 'bits'; bitCount: number; bits: string };

interface Layout {
  bitCount: number;
  facility: { from: number; length: number };
  card: { from: number; length: number };
  even: { bit: number; from: number; to: number };
  odd: { bit: number; from: number; to: number };
}

const LAYOUTS: Record<WiegandFormat, Layout> = {
  H10301: {
    bitCount: 26,
    facility: { from: 1, length: 8 },
    card: { from: 9, length: 16 },
    even: { bit: 0, from: 1, to: 12 },
    odd: { bit: 25, from: 13, to: 24 },
  },
  H10304: {
    bitCount: 37,
    facility: { from: 1, length: 16 },
    card: { from: 17, length: 19 },
    even: { bit: 0, from: 1, to: 18 },
    odd: { bit: 36, from: 18, to: 35 },
  },
};

export const WIEGAND_FORMATS = Object.keys(LAYOUTS) as WiegandFormat[];

/**
 * The card in `bitCount` bits of `data` (RAW's data: left-aligned, padding bits ignored), read
 * with the first of `formats` whose length matches. A matching length with a bad parity is
 * refused (BAD_PARITY): a misread must not become another holder's card number.
 */
export function decodeCard(
  bitCount: number,
  data: Uint8Array,
  formats: readonly WiegandFormat[] = WIEGAND_FORMATS,
): Checked<CardRead> {
  if (!Number.isInteger(bitCount) || bitCount < 1 || data.length * 8 < bitCount) {
    return refused(
      new OsdpError(
        'MALFORMED_DATA',
        `card data of ${data.length} bytes cannot hold ${bitCount} bits`,
        {
          field: 'bit count',
        },
      ),
    );
  }
  const bits = Array.from(
    { length: bitCount },
    (_, i) => ((data[i >> 3] ?? 0) >> (7 - (i & 7))) & 1,
  );
  const format = formats.find((f) => LAYOUTS[f].bitCount === bitCount);
  if (format === undefined) return accepted({ kind: 'bits', bitCount, bits: bits.join('') });
  const layout = LAYOUTS[format];
  if (
    bits[layout.even.bit] !== parity(bits, layout.even.from, layout.even.to, 'even') ||
    bits[layout.odd.bit] !== parity(bits, layout.odd.from, layout.odd.to, 'odd')
  ) {
    return refused(
      new OsdpError('BAD_PARITY', `${format} card read with a bad parity bit`, { field: 'parity' }),
    );
  }
  return accepted({
    kind: 'wiegand',
    format,
    facility: field(bits, layout.facility.from, layout.facility.length),
    card: field(bits, layout.card.from, layout.card.length),
  });
}

/** The RAW bits of a card: its bit count and data bytes, parity set, padding bits zero. */
export function encodeCard(
  format: WiegandFormat,
  facility: number,
  card: number,
): { bitCount: number; data: Uint8Array } {
  const layout = LAYOUTS[format];
  const fits = (value: number, length: number) =>
    Number.isInteger(value) && value >= 0 && value < 2 ** length;
  if (!fits(facility, layout.facility.length) || !fits(card, layout.card.length)) {
    throw new OsdpError(
      'INVALID_ARGUMENT',
      `${format} holds a facility code below ${2 ** layout.facility.length} and a card number below ${2 ** layout.card.length}`,
      { field: fits(facility, layout.facility.length) ? 'card' : 'facility' },
    );
  }
  const bits: number[] = new Array<number>(layout.bitCount).fill(0);
  setField(bits, layout.facility.from, layout.facility.length, facility);
  setField(bits, layout.card.from, layout.card.length, card);
  bits[layout.even.bit] = parity(bits, layout.even.from, layout.even.to, 'even');
  bits[layout.odd.bit] = parity(bits, layout.odd.from, layout.odd.to, 'odd');
  return { bitCount: layout.bitCount, data: packBits(bits) };
}

/** Bits ('0'/'1' per bit, first bit first) packed left-aligned into bytes. */
export function packBits(bits: readonly number[]): Uint8Array {
  const data = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => {
    if (bit) data[i >> 3] = (data[i >> 3] ?? 0) | (0x80 >> (i & 7));
  });
  return data;
}

/** The parity bit that makes bits from..to plus itself even (or odd). */
function parity(bits: readonly number[], from: number, to: number, kind: 'even' | 'odd'): number {
  let ones = 0;
  for (let i = from; i <= to; i += 1) ones += bits[i] ?? 0;
  return kind === 'even' ? ones & 1 : (ones + 1) & 1;
}

function field(bits: readonly number[], from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i += 1) value = value * 2 + (bits[i] ?? 0);
  return value;
}

function setField(bits: number[], from: number, length: number, value: number): void {
  let rest = value;
  for (let i = from + length - 1; i >= from; i -= 1) {
    bits[i] = rest % 2;
    rest = Math.floor(rest / 2);
  }
}
