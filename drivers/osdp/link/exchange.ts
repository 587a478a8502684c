import type { Frame, Sequence } from '../frame.js';
import { MARK } from '../frame.js';
import type { PendingSend } from './pending-sends.js';

/**
 * One command on the bus and what it is for. The bus is half duplex: at most one exchange is
 * outstanding, and a reply is its answer only if it comes from that reader, with the reply flag
 * and the same sequence number. A lost reply is recovered by sending `bytes` again unchanged
 * (same sequence number: the reader then repeats its reply; a sealed command is the same bytes
 * again, which is what the reader's MAC chain expects).
 */
export interface Exchange {
  address: number;
  sequence: Sequence;
  /** What goes on the wire, the 0xFF mark included. */
  bytes: Buffer;
  /** For logs: the command's name. */
  name: string;
  /** The step of the reader's link this serves ('poll', 'id', 'send', …). */
  purpose: ExchangePurpose;
  /** A caller's `send()`, when this is one. */
  send?: PendingSend;
  /** How many times these bytes went out. */
  attempts: number;
}

export type ExchangePurpose =
  'id' | 'cap' | 'challenge' | 'server-cryptogram' | 'keyset' | 'poll' | 'send';

/** Why a frame that came off the bus is not the answer to the outstanding exchange. */
export type NotTheAnswer = 'echo' | 'not a reply' | 'wrong address' | 'wrong sequence' | 'unasked';

/**
 * Whether `frame` answers `exchange`: the checks every reply must pass before anything reads
 * it. An RS-485 adapter that hears its own transmission hands our command back (an echo); other
 * readers' replies, a reply that comes after its timeout (the resend was already sent, or
 * another reader is being asked), and a duplicated frame all fail one of these, so none of
 * them is taken for the answer and the sequence numbers never slip (libosdp #110).
 */
export function answers(frame: Frame, exchange: Exchange | undefined): true | NotTheAnswer {
  if (!frame.reply) {
    if (exchange !== undefined && sameBytes(frame.bytes, withoutMark(exchange.bytes))) {
      return 'echo';
    }
    return 'not a reply';
  }
  if (exchange === undefined) return 'unasked';
  if (frame.address !== exchange.address) return 'wrong address';
  if (frame.sequence !== exchange.sequence) return 'wrong sequence';
  return true;
}

function withoutMark(bytes: Buffer): Buffer {
  return bytes[0] === MARK ? bytes.subarray(1) : bytes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
