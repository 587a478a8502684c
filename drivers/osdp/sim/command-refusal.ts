import { CommandCode } from '../codes.js';
import type { OsdpError } from '../osdp-error.js';

/**
 * The NAK reason codes of OSDP v2.2 a reader answers with, and which one a command the core
 * refused to decode deserves. The core says only MALFORMED_DATA; the specification tells a
 * command of the wrong length (2) from one whose length is right but whose values the reader
 * cannot carry out (9), so the length is checked here against each command's layout.
 */
export const NakCode = {
  CHECK_CHARACTER: 1,
  COMMAND_LENGTH: 2,
  UNKNOWN_COMMAND: 3,
  UNEXPECTED_SEQUENCE: 4,
  SECURITY_BLOCK_UNSUPPORTED: 5,
  SECURITY_CONDITIONS: 6,
  UNABLE_TO_PROCESS: 9,
} as const;

const LED_RECORD = 14;
const OUT_RECORD = 4;
const TEXT_HEADER = 6;
const KEYSET_HEADER = 2;

/** Whether `data` has a length the command's layout allows (the values aside). */
export function lengthFits(code: number, data: Uint8Array): boolean {
  const n = data.length;
  switch (code) {
    case CommandCode.POLL:
    case CommandCode.LSTAT:
    case CommandCode.ISTAT:
    case CommandCode.OSTAT:
    case CommandCode.RSTAT:
      return n === 0;
    case CommandCode.ID:
    case CommandCode.CAP:
      return n === 1;
    case CommandCode.OUT:
      return n > 0 && n % OUT_RECORD === 0;
    case CommandCode.LED:
      return n > 0 && n % LED_RECORD === 0;
    case CommandCode.BUZ:
    case CommandCode.COMSET:
      return n === 5;
    case CommandCode.TEXT:
      return n >= TEXT_HEADER && n === TEXT_HEADER + (data[TEXT_HEADER - 1] ?? 0);
    case CommandCode.KEYSET:
      return n >= KEYSET_HEADER && n === KEYSET_HEADER + (data[1] ?? 0);
    case CommandCode.CHLNG:
      return n === 8;
    case CommandCode.SCRYPT:
      return n === 16;
    default:
      return true;
  }
}

/** The NAK reason for a command that did not decode. */
export function nakCodeFor(code: number, data: Uint8Array, error: OsdpError): number {
  if (error.code === 'UNKNOWN_CODE') return NakCode.UNKNOWN_COMMAND;
  return lengthFits(code, data) ? NakCode.UNABLE_TO_PROCESS : NakCode.COMMAND_LENGTH;
}
