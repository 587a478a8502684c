import type { RawCardRead } from './replies.js';
import { decodeCard } from './wiegand.js';

/**
 * How an OSDP card read becomes the `card` string holders' credentials store (1-20 hex digits,
 * src/app/custodian-rules.ts), so a card enrolled once is the same card on any reader:
 *
 * - H10301 (26 bits): the facility code in 3 decimal digits, then the card number in 5:
 *   facility 12, card 34567 → `01234567`. Both are printed on most HID cards and fobs, so a
 *   custodian can enrol a card from what is printed on it.
 * - H10304 (37 bits): facility in 5 digits, card in 6: facility 1234, card 56789 → `01234056789`.
 * - `{ bits: N, as: 'decimal' }`: the N bits as one unsigned number (first bit the most
 *   significant, parity bits included: the reader's format is not known), in decimal digits.
 * - `{ bits: N, as: 'hex' }`: the same number in upper-case hex, padded to ceil(N/4) digits.
 *
 * The first format of the read's bit count decodes it; a read whose bit count no format has, or
 * whose Wiegand parity is wrong, is refused with the reason (never a guess: a misread must not
 * become another holder's card). Reasons never contain the bits.
 */
export type OsdpCardFormat =
  | { kind: 'wiegand'; format: 'H10301' | 'H10304' }
  | { kind: 'raw'; bits: number; as: 'decimal' | 'hex' };

export type CardNumber = { ok: true; card: string } | { ok: false; reason: string };

const WIEGAND = {
  H10301: { bits: 26, facilityDigits: 3, cardDigits: 5 },
  H10304: { bits: 37, facilityDigits: 5, cardDigits: 6 },
} as const;

export function cardFormatBitCount(format: OsdpCardFormat): number {
  return format.kind === 'wiegand' ? WIEGAND[format.format].bits : format.bits;
}

export function cardFormatName(format: OsdpCardFormat): string {
  return format.kind === 'wiegand' ? format.format : `${format.bits}-bit ${format.as}`;
}

export function cardNumberOf(read: RawCardRead, formats: readonly OsdpCardFormat[]): CardNumber {
  const format = formats.find((f) => cardFormatBitCount(f) === read.bitCount);
  if (format === undefined) {
    return {
      ok: false,
      reason: `a ${read.bitCount}-bit card read matches no card format of the profile (${formats.map(cardFormatName).join(', ')})`,
    };
  }
  if (read.data.length * 8 < read.bitCount) {
    return {
      ok: false,
      reason: `a ${read.bitCount}-bit card read with only ${read.data.length} data bytes`,
    };
  }
  if (format.kind === 'wiegand') {
    const decoded = decodeCard(read.bitCount, read.data, [format.format]);
    if (!decoded.ok) return { ok: false, reason: decoded.error.message };
    if (decoded.value.kind !== 'wiegand')
      return { ok: false, reason: `not a ${format.format} read` };
    const digits = WIEGAND[format.format];
    return {
      ok: true,
      card:
        String(decoded.value.facility).padStart(digits.facilityDigits, '0') +
        String(decoded.value.card).padStart(digits.cardDigits, '0'),
    };
  }
  let value = 0n;
  for (let i = 0; i < read.bitCount; i += 1) {
    value = (value << 1n) | BigInt(((read.data[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
  }
  return {
    ok: true,
    card:
      format.as === 'decimal'
        ? value.toString(10)
        : value
            .toString(16)
            .toUpperCase()
            .padStart(Math.ceil(format.bits / 4), '0'),
  };
}

/**
 * Why a card string can never come from a reader with these formats (undefined when one can):
 * enrolling a card the cabinet can never read would refuse its holder with no clue why.
 */
export function cardNumberRefusal(
  card: string,
  formats: readonly OsdpCardFormat[],
): string | undefined {
  const fits = formats.some((format) => {
    if (format.kind === 'wiegand') {
      const d = WIEGAND[format.format];
      if (card.length !== d.facilityDigits + d.cardDigits || !/^[0-9]+$/.test(card)) return false;
      const facility = Number(card.slice(0, d.facilityDigits));
      const number = Number(card.slice(d.facilityDigits));
      const facilityBits = format.format === 'H10301' ? 8 : 16;
      const cardBits = format.format === 'H10301' ? 16 : 19;
      return facility < 2 ** facilityBits && number < 2 ** cardBits;
    }
    if (format.as === 'hex') {
      return (
        card.length === Math.ceil(format.bits / 4) &&
        /^[0-9A-F]+$/.test(card) &&
        BigInt(`0x${card}`) < 1n << BigInt(format.bits)
      );
    }
    return /^(0|[1-9][0-9]{0,19})$/.test(card) && BigInt(card) < 1n << BigInt(format.bits);
  });
  return fits
    ? undefined
    : `(OSDP) sends card numbers as its card formats say (${formats.map(cardFormatName).join(', ')}): H10301 as 3 facility and 5 card digits, H10304 as 5 and 6 (docs/osdp.md, "Card numbers")`;
}
