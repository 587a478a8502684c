/**
 * What the OSDP core refuses, as values with a stable code to branch on (never the message
 * text). The core never throws at bytes that came off the bus: the decoder, the reply parser and
 * the secure session return these, so a hostile or broken reader cannot raise an exception into
 * the daemon's event loop. Only a caller's own mistake (an address out of range handed to the
 * encoder, a key of the wrong size) throws one.
 *
 * Messages say what and where for a person reading the log. They never repeat data bytes: a
 * reply can hold a card number or PIN digits, and the message is meant to be logged.
 */
export type OsdpErrorCode =
  /** Bytes outside any frame (not counting the 0xFF mark and line idle bytes). */
  | 'GARBAGE'
  /** A frame's LEN is below what its control byte requires. */
  | 'FRAME_TOO_SHORT'
  /** A frame's LEN is above the decoder's maximum. */
  | 'FRAME_TOO_LONG'
  /** The frame was cut off (the decoder was reset with it half received). */
  | 'FRAME_INCOMPLETE'
  | 'BAD_CRC'
  | 'BAD_CHECKSUM'
  /** The security block's length does not fit the frame, or is below 2. */
  | 'BAD_SECURITY_BLOCK'
  /** A command or reply code this core does not know. */
  | 'UNKNOWN_CODE'
  /** A known code whose data has the wrong length or a value out of range (names the field). */
  | 'MALFORMED_DATA'
  /** Wiegand card bits whose parity does not check: a misread, never a card number. */
  | 'BAD_PARITY'
  /** A frame without a MAC (plaintext, or a handshake block) where the session requires one. */
  | 'NOT_SECURED'
  /** A secured frame of the wrong direction or type for this side of the session. */
  | 'WRONG_SECURITY_BLOCK'
  /** The MAC of a secured frame does not match the chain: refused, never parsed. */
  | 'BAD_MAC'
  /** Encrypted data that does not decrypt to a whole padded block. */
  | 'BAD_ENCRYPTED_DATA'
  /** A handshake step failed: wrong reply, cryptogram mismatch, the reader refused ours. */
  | 'HANDSHAKE_FAILED'
  /** The caller handed the core something out of range (a programming error: thrown). */
  | 'INVALID_ARGUMENT'
  /** The bus (drivers/osdp/link): the reader is offline, so a command for it was not sent. */
  | 'READER_OFFLINE'
  /** The bus: no valid reply to a command after its resends. */
  | 'NO_REPLY'
  /** The bus: the reader's secure session broke (tampered, or the reader lost it) mid-command. */
  | 'SESSION_LOST'
  /** The bus: the reader answered a command with a refusal (a NAK) where it had to comply. */
  | 'COMMAND_REFUSED'
  /** The bus was stopped (or its port went away) with the command still pending. */
  | 'BUS_STOPPED';

export interface OsdpErrorDetails {
  /** Position in the decoder's input stream (bytes pushed before), where the trouble starts. */
  offset?: number;
  /** The frame's address (bit 7, the reply flag, removed), when the header was read. */
  address?: number;
  /** The command or reply code the data belongs to. */
  code?: number;
  /** The field of the data that is wrong. */
  field?: string;
  /** How many bytes were dropped. */
  length?: number;
}

export class OsdpError extends Error {
  constructor(
    readonly code: OsdpErrorCode,
    message: string,
    readonly details: OsdpErrorDetails = {},
  ) {
    super(message);
    this.name = 'OsdpError';
  }
}

export function isOsdpError(value: unknown, code?: OsdpErrorCode): value is OsdpError {
  return value instanceof OsdpError && (code === undefined || value.code === code);
}

/** The result of reading bytes that came off the bus: a value, or why it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: OsdpError };

export function accepted<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function refused<T = never>(error: OsdpError): Checked<T> {
  return { ok: false, error };
}

export function hex2(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
