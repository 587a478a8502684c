import { hasMac } from './codes.js';
import { checksum8, crc16 } from './integrity.js';
import { accepted, hex2, OsdpError, refused, type Checked } from './osdp-error.js';

/**
 * One OSDP frame (the specification says "packet"), as it crosses the RS-485 bus:
 *
 *   [FF] 53 ADDR LEN_L LEN_H CTRL [SCB_LEN SCB_TYPE SCB_DATA…] CODE DATA… [MAC×4] CHECK
 *
 * - FF, the mark byte: OSDP 2.2 senders put it before the SOM; it is not counted in LEN nor
 *   covered by the check. We send it; we accept frames with or without it.
 * - ADDR: the reader's address 0x00-0x7E (0x7F: broadcast); bit 7 is set in replies.
 * - LEN: little-endian, the whole frame from the SOM to the last check byte.
 * - CTRL: bits 0-1 the sequence number, bit 2 (0x04) set = 2-byte CRC, clear = 1-byte checksum
 *   (integrity.ts), bit 3 (0x08) set = a security block follows.
 * - SCB: its first byte counts the whole block (itself included); frames whose block type is
 *   0x15-0x18 carry a 4-byte MAC after the data (secure-session.ts computes it).
 */

export const SOM = 0x53;
export const MARK = 0xff;
/** The address every reader on the bus answers to. */
export const BROADCAST_ADDRESS = 0x7f;
const REPLY_FLAG = 0x80;

const CTRL_SEQUENCE = 0x03;
const CTRL_CRC = 0x04;
const CTRL_SECURITY_BLOCK = 0x08;

const HEADER_LENGTH = 5;
export const MAC_LENGTH = 4;
const LENGTH_LIMIT = 0xffff;

export type Sequence = 0 | 1 | 2 | 3;
export type Integrity = 'crc' | 'checksum';

export interface SecurityBlock {
  type: number;
  /** The bytes after the type (often one, often none). */
  data: Uint8Array;
}

/** What a frame says, without its length, MAC or check bytes (which follow from the rest). */
export interface FrameFields {
  /** 0x00-0x7F, without the reply flag. */
  address: number;
  /** Set on the way back from a reader (bit 7 of the address byte). */
  reply: boolean;
  sequence: Sequence;
  integrity: Integrity;
  security?: SecurityBlock;
  /** The command or reply code. */
  code: number;
  /** As on the wire: still encrypted when the security block says so. */
  data: Uint8Array;
}

/** A frame read off the bus: its fields, its MAC (when it has one) and its bytes. */
export interface Frame extends FrameFields {
  mac?: Uint8Array;
  /** From the SOM to the last check byte (no mark byte): what the MAC and the check cover. */
  bytes: Uint8Array;
}

export interface FrameEncoding {
  /** Send the 0xFF mark byte before the SOM (default: yes, as OSDP 2.2 asks). */
  mark?: boolean;
  /**
   * For a frame whose security block type has a MAC: computes the MAC (16 bytes, of which the
   * first 4 are sent) over the frame from the SOM to the end of the data, LEN already counting
   * the MAC and the check.
   */
  mac?: (covered: Uint8Array) => Uint8Array;
}

/**
 * The sequence number of the exchange after one that used `sequence`: 1, 2, 3, 1, … (0 only
 * starts a conversation: it tells the reader to forget the previous one).
 */
export function nextSequence(sequence: Sequence): Sequence {
  return sequence === 3 ? 1 : ((sequence + 1) as Sequence);
}

/** The frame's bytes, check included. Throws OsdpError INVALID_ARGUMENT for fields out of range. */
export function encodeFrame(fields: FrameFields, encoding: FrameEncoding = {}): Buffer {
  checkFields(fields);
  const security = fields.security;
  const securityLength = security === undefined ? 0 : 2 + security.data.length;
  const macLength = security !== undefined && hasMac(security.type) ? MAC_LENGTH : 0;
  const checkLength = fields.integrity === 'crc' ? 2 : 1;
  const length = HEADER_LENGTH + securityLength + 1 + fields.data.length + macLength + checkLength;
  if (length > LENGTH_LIMIT) {
    throw new OsdpError('INVALID_ARGUMENT', `frame of ${length} bytes exceeds LEN's 65535`, {
      code: fields.code,
    });
  }
  if (macLength > 0 && encoding.mac === undefined) {
    throw new OsdpError(
      'INVALID_ARGUMENT',
      `security block ${hex2(security?.type ?? 0)} needs a MAC: encode it through a secure session`,
      { code: fields.code },
    );
  }

  const frame = Buffer.alloc(length);
  let at = 0;
  frame[at++] = SOM;
  frame[at++] = fields.address | (fields.reply ? REPLY_FLAG : 0);
  frame.writeUInt16LE(length, at);
  at += 2;
  frame[at++] =
    fields.sequence |
    (fields.integrity === 'crc' ? CTRL_CRC : 0) |
    (security === undefined ? 0 : CTRL_SECURITY_BLOCK);
  if (security !== undefined) {
    frame[at++] = securityLength;
    frame[at++] = security.type;
    frame.set(security.data, at);
    at += security.data.length;
  }
  frame[at++] = fields.code;
  frame.set(fields.data, at);
  at += fields.data.length;
  if (macLength > 0 && encoding.mac !== undefined) {
    const mac = encoding.mac(frame.subarray(0, at));
    frame.set(mac.subarray(0, MAC_LENGTH), at);
    at += MAC_LENGTH;
  }
  if (fields.integrity === 'crc') {
    frame.writeUInt16LE(crc16(frame.subarray(0, at)), at);
  } else {
    frame[at] = checksum8(frame.subarray(0, at));
  }
  return encoding.mark === false ? frame : Buffer.concat([Buffer.of(MARK), frame]);
}

function checkFields(fields: FrameFields): void {
  const bad = (field: string, why: string): never => {
    throw new OsdpError('INVALID_ARGUMENT', `frame ${field} ${why}`, { field, code: fields.code });
  };
  if (!Number.isInteger(fields.address) || fields.address < 0 || fields.address > 0x7f) {
    bad('address', 'must be 0x00-0x7F');
  }
  if (![0, 1, 2, 3].includes(fields.sequence)) bad('sequence', 'must be 0-3');
  if (!isByte(fields.code)) bad('code', 'must be a byte');
  if (fields.security !== undefined) {
    if (!isByte(fields.security.type)) bad('security block type', 'must be a byte');
    if (fields.security.data.length > 253) bad('security block', 'is longer than 255 bytes');
  }
}

function isByte(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xff;
}

/** How many bytes a header (the first five from the SOM) says its frame has, or undefined. */
export function declaredLength(header: Uint8Array): number | undefined {
  if (header.length < HEADER_LENGTH) return undefined;
  return (header[2] ?? 0) | ((header[3] ?? 0) << 8);
}

/**
 * The fewest bytes a frame with this control byte can have: header, security block length
 * byte and type, code, MAC only once the type is known (see parseFrame), check.
 */
export function minimumLength(control: number): number {
  return HEADER_LENGTH + (control & CTRL_SECURITY_BLOCK ? 2 : 0) + 1 + (control & CTRL_CRC ? 2 : 1);
}

/**
 * Reads one complete frame (`bytes` from its SOM to its last check byte, exactly LEN bytes).
 * `offset` is where it started in the stream, for the errors.
 */
export function parseFrame(bytes: Uint8Array, offset = 0): Checked<Frame> {
  const where = (address?: number) => ({ offset, ...(address === undefined ? {} : { address }) });
  const length = declaredLength(bytes);
  if (bytes[0] !== SOM || length === undefined) {
    return refused(new OsdpError('GARBAGE', `no frame header at byte ${offset}`, where()));
  }
  const address = (bytes[1] ?? 0) & 0x7f;
  const control = bytes[4] ?? 0;
  const integrity: Integrity = control & CTRL_CRC ? 'crc' : 'checksum';
  if (length !== bytes.length) {
    return refused(
      new OsdpError(
        'FRAME_INCOMPLETE',
        `frame at byte ${offset} (address ${address}) has ${bytes.length} of its ${length} bytes`,
        where(address),
      ),
    );
  }
  if (length < minimumLength(control)) {
    return refused(
      new OsdpError(
        'FRAME_TOO_SHORT',
        `frame at byte ${offset} (address ${address}) declares ${length} bytes, below the ${minimumLength(control)} its control byte ${hex2(control)} needs`,
        where(address),
      ),
    );
  }

  const checkLength = integrity === 'crc' ? 2 : 1;
  const covered = bytes.subarray(0, length - checkLength);
  if (integrity === 'crc') {
    const sent = (bytes[length - 2] ?? 0) | ((bytes[length - 1] ?? 0) << 8);
    if (crc16(covered) !== sent) {
      return refused(
        new OsdpError('BAD_CRC', `bad CRC in frame at byte ${offset} (address ${address})`, {
          ...where(address),
          length,
        }),
      );
    }
  } else if (checksum8(covered) !== bytes[length - 1]) {
    return refused(
      new OsdpError(
        'BAD_CHECKSUM',
        `bad checksum in frame at byte ${offset} (address ${address})`,
        {
          ...where(address),
          length,
        },
      ),
    );
  }

  let at = HEADER_LENGTH;
  let security: SecurityBlock | undefined;
  let macLength = 0;
  if (control & CTRL_SECURITY_BLOCK) {
    const blockLength = bytes[at] ?? 0;
    const type = bytes[at + 1] ?? 0;
    macLength = hasMac(type) ? MAC_LENGTH : 0;
    if (blockLength < 2 || at + blockLength + 1 + macLength + checkLength > length) {
      return refused(
        new OsdpError(
          'BAD_SECURITY_BLOCK',
          `frame at byte ${offset} (address ${address}): a security block of ${blockLength} bytes (type ${hex2(type)}) does not fit its ${length} bytes`,
          { ...where(address), length },
        ),
      );
    }
    security = { type, data: Uint8Array.from(bytes.subarray(at + 2, at + blockLength)) };
    at += blockLength;
  }
  const code = bytes[at] ?? 0;
  const dataEnd = length - checkLength - macLength;
  const frame: Frame = {
    address,
    reply: ((bytes[1] ?? 0) & REPLY_FLAG) !== 0,
    sequence: (control & CTRL_SEQUENCE) as Sequence,
    integrity,
    code,
    data: Uint8Array.from(bytes.subarray(at + 1, dataEnd)),
    bytes: Uint8Array.from(bytes),
  };
  if (security !== undefined) frame.security = security;
  if (macLength > 0) frame.mac = Uint8Array.from(bytes.subarray(dataEnd, dataEnd + macLength));
  return accepted(frame);
}
