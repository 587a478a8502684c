/**
 * The two check values an OSDP frame can end with (the control byte's bit 2 says which).
 *
 * CRC-16 as OSDP defines it is CRC-16/AUG-CCITT: polynomial 0x1021, initial value 0x1D0F, no bit
 * reflection, no final XOR (check value for ASCII "123456789": 0xE5CC). It is sent low byte
 * first. It covers every byte from the SOM to the byte before the CRC; the 0xFF mark byte some
 * senders put before the SOM is not covered.
 *
 * The checksum mode (control bit 2 clear, kept for old readers) ends the frame with one byte: the
 * two's complement of the sum of every byte from the SOM to before the checksum, so that all
 * those bytes plus the checksum add up to 0 modulo 256.
 */

const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
}

export const CRC_INITIAL = 0x1d0f;

export function crc16(bytes: Uint8Array, initial = CRC_INITIAL): number {
  let crc = initial;
  for (const byte of bytes) {
    crc = ((crc << 8) & 0xffff) ^ (CRC_TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  }
  return crc;
}

export function checksum8(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return (0x100 - sum) & 0xff;
}
