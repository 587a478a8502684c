import { cardNumberRefusal } from '../../drivers/osdp/osdp-card-number.js';
import { parseAsciiBadgeLine } from '../../drivers/serial/ascii-badge.js';
import type { ReaderSpec } from '../config/profile-types.js';
import { KeywardenError } from '../errors.js';

/**
 * A card the cabinet's badge reader can never send would be enrolled for nothing: the holder's
 * badge is then refused at the cabinet with no clue why. The number is checked against what the
 * profile's badge reader delivers, with the reader's own parser where it has one.
 */
export function checkCardForReader(card: string, reader: ReaderSpec, option = '--card'): void {
  const clean = card.trim().toUpperCase();
  const refusal = readerRefusal(clean, reader);
  if (refusal !== undefined) {
    throw new KeywardenError('USAGE', `${option}: this cabinet's badge reader ${refusal}`);
  }
}

/** Why this reader can never send `card` (trimmed, upper-cased), or undefined when it can. */
export function readerRefusal(card: string, reader: ReaderSpec): string | undefined {
  switch (reader.protocol) {
    case 'rdm6300':
      // 5 data bytes as 10 hex digits (version byte + 4 card-number bytes), e.g. 100086F444.
      return /^[0-9A-F]{10}$/.test(card)
        ? undefined
        : `(RDM6300, 125 kHz) sends exactly 10 hex digits, the 5 data bytes of its frame (this is ${card.length} characters)`;
    case 'ascii-line': {
      const format = reader.lineFormat ?? 'decimal';
      const read = parseAsciiBadgeLine(card, format);
      return read.ok && read.card === card
        ? undefined
        : `(ASCII line reader, ${format}) sends ${format === 'decimal' ? '1 to 20 decimal digits' : '1 to 16 hex digits'}`;
    }
    case 'fob-line':
      return 'is a fob reader and sends no badges';
    case 'osdp':
      return cardNumberRefusal(card, reader.osdp?.cardFormats ?? []);
  }
}
