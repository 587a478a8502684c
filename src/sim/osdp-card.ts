import type { CardPresentation } from '../../drivers/osdp/sim/simulated-reader.js';

/**
 * A card string as the cabinet shows an H10301 card (facility in 3 digits, card number in 5:
 * `04201001` is facility 42, card 1001; drivers/osdp/osdp-card-number.ts), as the card a
 * person holds to the simulated OSDP reader: the reader sends its 26 Wiegand bits, parity and
 * all, and the cabinet decodes them as any card's. Anything else is not an H10301 card.
 */
export function h10301Card(card: string): CardPresentation {
  const match = /^(\d{3})(\d{5})$/.exec(card);
  const facility = Number(match?.[1]);
  const number = Number(match?.[2]);
  if (!match || facility > 255 || number > 65535) {
    throw new RangeError(
      `an H10301 card on the OSDP reader is 8 digits, facility 000-255 then card 00000-65535 ` +
        `(04201001: facility 42, card 1001), not "${card}"`,
    );
  }
  return { format: 'H10301', facility, card: number };
}
