import { hasMac } from '../codes.js';
import { MAC_LENGTH, MARK, SOM } from '../frame.js';
import { checksum8, crc16 } from '../integrity.js';

/**
 * The ways a simulated reader misbehaves on the wire, for the control panel's fault tests. The
 * reader works out its correct reply first (and keeps it as its last reply, which a resend of
 * the same sequence number gets); the faults change only what goes on the bus.
 *
 * Lasting faults are fields a test sets and clears; one-shot faults are counted down by the
 * reply they apply to.
 */
export interface LastingFaults {
  /** No reply at all (a reader whose RS-485 driver died, or powered but hung). */
  dead: boolean;
  /** Every reply leaves this long after the command arrived (the specification allows 200 ms). */
  replyDelayMs: number;
  /** Every reply is sent twice, back to back (an echo, a repeater gone wrong). */
  duplicateReplies: boolean;
}

export interface OneShotFaults {
  /** Replies still to swallow: the control panel must time out and resend. */
  drop: number;
  /** The next reply carrying a MAC gets one MAC bit flipped (its CRC still right). */
  corruptMac: boolean;
  /** The next reply is replaced by an older one, sent again byte for byte. */
  replayOld: boolean;
  /** The next reply carries this address instead (its check recomputed). */
  wrongAddress: number | undefined;
  /** These bytes go out just before the next reply. */
  garbage: Uint8Array | undefined;
}

export function noOneShotFaults(): OneShotFaults {
  return {
    drop: 0,
    corruptMac: false,
    replayOld: false,
    wrongAddress: undefined,
    garbage: undefined,
  };
}

/** Bytes that look like line noise, with no SOM in them (so they hide no false frame). */
export const DEFAULT_GARBAGE = Uint8Array.of(0x00, 0x11, 0xa5, 0x5a, 0xc3, 0x00);

const REPLY_FLAG = 0x80;
const CTRL_CRC = 0x04;
const CTRL_SECURITY_BLOCK = 0x08;

/**
 * A copy of an encoded frame (mark byte optional) with `edit` applied to the bytes from the SOM
 * on, and its CRC or checksum made right again: the fault must be the one the test asked for,
 * not a bad check the control panel would drop first.
 */
function rewrite(bytes: Uint8Array, edit: (frame: Buffer) => void): Buffer {
  const copy = Buffer.from(bytes);
  const start = copy[0] === MARK ? 1 : 0;
  const frame = copy.subarray(start);
  if (frame[0] !== SOM) return copy;
  edit(frame);
  const crc = ((frame[4] ?? 0) & CTRL_CRC) !== 0;
  const body = frame.subarray(0, frame.length - (crc ? 2 : 1));
  if (crc) frame.writeUInt16LE(crc16(body), body.length);
  else frame[body.length] = checksum8(body);
  return copy;
}

/** The frame with its MAC's first bit flipped; undefined when it has no MAC. */
export function withCorruptMac(bytes: Uint8Array): Buffer | undefined {
  const start = bytes[0] === MARK ? 1 : 0;
  const control = bytes[start + 4] ?? 0;
  const blockType = bytes[start + 6] ?? 0;
  if ((control & CTRL_SECURITY_BLOCK) === 0 || !hasMac(blockType)) return undefined;
  return rewrite(bytes, (frame) => {
    const checkLength = ((frame[4] ?? 0) & CTRL_CRC) !== 0 ? 2 : 1;
    const macAt = frame.length - checkLength - MAC_LENGTH;
    frame[macAt] = (frame[macAt] ?? 0) ^ 0x01;
  });
}

/** The frame as if another reader had sent it. */
export function withAddress(bytes: Uint8Array, address: number): Buffer {
  return rewrite(bytes, (frame) => {
    frame[1] = (address & 0x7f) | ((frame[1] ?? 0) & REPLY_FLAG);
  });
}
