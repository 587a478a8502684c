import type { ReaderSpec } from '../config/profile.js';

/**
 * The bytes a real reader would send for a card, so the simulator exercises the same parsers
 * as the hardware (formats in hardware/README.md).
 */
export function encodeBadge(card: string, reader: ReaderSpec): Buffer {
  if (reader.protocol === 'rdm6300') return encodeRdm6300(card);
  return Buffer.from(`${card}\r\n`, 'ascii');
}

/** STX, 10 ASCII hex data digits, 2 ASCII hex digits of XOR checksum, ETX. */
export function encodeRdm6300(card: string): Buffer {
  const data = card.toUpperCase();
  if (!/^[0-9A-F]{10}$/.test(data)) {
    throw new RangeError(`an RDM6300 card number is 10 hex digits, not "${card}"`);
  }
  let checksum = 0;
  for (let i = 0; i < 10; i += 2) checksum ^= parseInt(data.slice(i, i + 2), 16);
  const check = checksum.toString(16).toUpperCase().padStart(2, '0');
  return Buffer.concat([
    Buffer.from([0x02]),
    Buffer.from(data + check, 'ascii'),
    Buffer.from([0x03]),
  ]);
}
