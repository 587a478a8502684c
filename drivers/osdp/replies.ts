import { ReplyCode, replyName, type ReplyName } from './codes.js';
import { DataWriter, readData, type DataReader } from './data-codec.js';
import { hex2, OsdpError, refused, type Checked } from './osdp-error.js';

/**
 * The replies a reader sends, as typed values, and their data bytes (OSDP v2.2 section 7).
 * `decodeReply` is the control panel's: malformed data for a known code is refused with an
 * error naming the reply and the field, never half read. `encodeReply` is the reader side's
 * (the PD simulator).
 *
 * Reader numbers in RAW, FMT and KEYPAD count the readers behind one PD (0 = its first): they
 * are not bus addresses.
 */
export type Reply =
  | { kind: 'ACK' }
  | { kind: 'NAK'; reason: NakReason; reasonCode: number; detail: Uint8Array }
  | { kind: 'PDID'; identity: ReaderIdentity }
  | { kind: 'PDCAP'; capabilities: Capability[] }
  | { kind: 'LSTATR'; tamper: boolean; powerFailure: boolean }
  /** One entry per input: true = active. */
  | { kind: 'ISTATR'; inputs: boolean[] }
  /** One entry per output: true = active. */
  | { kind: 'OSTATR'; outputs: boolean[] }
  /** One entry per reader behind the PD. */
  | { kind: 'RSTATR'; readers: ReaderStatus[] }
  /** A card read as raw bits, left-aligned in `data` (see wiegand.ts). */
  | { kind: 'RAW'; read: RawCardRead }
  /** A card read already formatted as ASCII by the reader (deprecated in 2.2, still seen). */
  | { kind: 'FMT'; reader: number; direction: number; text: string }
  | { kind: 'KEYPAD'; reader: number; keys: string }
  /** The answer to COMSET: the address and baud rate the reader now uses. */
  | { kind: 'COM'; address: number; baudRate: number }
  | { kind: 'BUSY' }
  | { kind: 'CCRYPT'; clientUid: Uint8Array; pdRandom: Uint8Array; clientCryptogram: Uint8Array }
  | { kind: 'RMAC_I'; rmacI: Uint8Array };

export const NakReasons = {
  1: 'CHECK_CHARACTER',
  2: 'COMMAND_LENGTH',
  3: 'UNKNOWN_COMMAND',
  4: 'UNEXPECTED_SEQUENCE',
  5: 'SECURITY_BLOCK_UNSUPPORTED',
  6: 'ENCRYPTION_REQUIRED',
  7: 'BIO_TYPE_UNSUPPORTED',
  8: 'BIO_FORMAT_UNSUPPORTED',
  9: 'UNABLE_TO_PROCESS',
} as const;

/** What a NAK's first byte means (OSDP v2.2 table "NAK error codes"); others are kept as UNKNOWN. */
export type NakReason = (typeof NakReasons)[keyof typeof NakReasons] | 'NO_ERROR' | 'UNKNOWN';

export function nakReason(code: number): NakReason {
  if (code === 0) return 'NO_ERROR';
  return NakReasons[code as keyof typeof NakReasons] ?? 'UNKNOWN';
}

export interface ReaderIdentity {
  /** The IEEE OUI, in the order sent. */
  vendorCode: Uint8Array;
  model: number;
  version: number;
  serialNumber: number;
  firmware: { major: number; minor: number; build: number };
}

export interface Capability {
  /** A {@link CapabilityFunction}. */
  functionCode: number;
  compliance: number;
  count: number;
}

export const CapabilityFunction = {
  CONTACT_STATUS: 1,
  OUTPUT_CONTROL: 2,
  CARD_DATA_FORMAT: 3,
  READER_LED: 4,
  READER_AUDIBLE: 5,
  READER_TEXT: 6,
  TIME_KEEPING: 7,
  CHECK_CHARACTER: 8,
  COMMUNICATION_SECURITY: 9,
  RECEIVE_BUFFER_SIZE: 10,
  LARGEST_COMBINED_MESSAGE: 11,
  SMART_CARD: 12,
  READERS: 13,
  BIOMETRICS: 14,
  SECURE_PIN_ENTRY: 15,
  OSDP_VERSION: 16,
} as const;

export type ReaderStatus = 'normal' | 'not-connected' | 'tamper';
const READER_STATUSES: readonly ReaderStatus[] = ['normal', 'not-connected', 'tamper'];

export const RawFormat = { UNSPECIFIED: 0, WIEGAND: 1 } as const;

export interface RawCardRead {
  reader: number;
  /** A {@link RawFormat}: 0 raw bits, 1 Wiegand (parity and data, as sent by the card). */
  format: number;
  bitCount: number;
  /** ceil(bitCount / 8) bytes, the first bit in the top bit of the first byte. */
  data: Uint8Array;
}

/**
 * The keypad's keys as OSDP encodes them: digits as ASCII, '*' (clear) as 0x7F, '#' (enter) as
 * 0x0D, function keys F1-F4 as 'A'-'D' and their pairs as 'E'-'H'. Here they read as the
 * characters printed on the keypad: digits, '*', '#', 'A'-'H'.
 */
const KEY_STAR = 0x7f;
const KEY_HASH = 0x0d;

export interface ReplyBody {
  code: number;
  data: Uint8Array;
}

const PDID_LENGTH = 12;

/** A reply's typed value from its code and (decrypted) data. */
export function decodeReply(code: number, data: Uint8Array): Checked<Reply> {
  const name = replyName(code);
  if (name === undefined) {
    return refused(new OsdpError('UNKNOWN_CODE', `unknown reply code ${hex2(code)}`, { code }));
  }
  return readData(data, name, code, (r) => readReply(name, r));
}

function readReply(kind: ReplyName, r: DataReader): Reply {
  switch (kind) {
    case 'ACK':
    case 'BUSY':
      return { kind };
    case 'NAK': {
      const reasonCode = r.u8('reason');
      return { kind, reason: nakReason(reasonCode), reasonCode, detail: r.rest() };
    }
    case 'PDID':
      if (r.remaining !== PDID_LENGTH)
        r.fail('length', `is ${r.remaining} bytes, not ${PDID_LENGTH}`);
      return {
        kind,
        identity: {
          vendorCode: r.bytes(3, 'vendor code'),
          model: r.u8('model'),
          version: r.u8('version'),
          serialNumber: r.u32('serial number'),
          firmware: {
            major: r.u8('firmware major'),
            minor: r.u8('firmware minor'),
            build: r.u8('firmware build'),
          },
        },
      };
    case 'PDCAP':
      return {
        kind,
        capabilities: r.records(3, 'capabilities', () => ({
          functionCode: r.u8('function code'),
          compliance: r.u8('compliance'),
          count: r.u8('count'),
        })),
      };
    case 'LSTATR':
      return { kind, tamper: r.u8('tamper') !== 0, powerFailure: r.u8('power') !== 0 };
    case 'ISTATR':
      return { kind, inputs: Array.from(r.rest(), (b) => b !== 0) };
    case 'OSTATR':
      return { kind, outputs: Array.from(r.rest(), (b) => b !== 0) };
    case 'RSTATR':
      return {
        kind,
        readers: Array.from(
          r.rest(),
          (b) => READER_STATUSES[b] ?? r.fail('reader status', `is ${b}, not 0-2`),
        ),
      };
    case 'RAW': {
      const reader = r.u8('reader');
      const format = r.u8('format');
      const bitCount = r.u16('bit count');
      if (bitCount === 0) r.fail('bit count', 'is 0');
      const byteCount = Math.ceil(bitCount / 8);
      if (r.remaining !== byteCount) {
        r.fail('data', `is ${r.remaining} bytes, ${bitCount} bits need ${byteCount}`);
      }
      return { kind, read: { reader, format, bitCount, data: r.bytes(byteCount, 'data') } };
    }
    case 'FMT': {
      const reader = r.u8('reader');
      const direction = r.u8('direction');
      const length = r.u8('character count');
      if (r.remaining !== length)
        r.fail('characters', `are ${r.remaining}, the count says ${length}`);
      const text = Buffer.from(r.bytes(length, 'characters')).toString('latin1');
      if (!/^[\x20-\x7e]*$/.test(text)) r.fail('characters', 'are not printable ASCII');
      return { kind, reader, direction, text };
    }
    case 'KEYPAD': {
      const reader = r.u8('reader');
      const count = r.u8('digit count');
      if (r.remaining !== count) r.fail('keys', `are ${r.remaining}, the count says ${count}`);
      // The keys are a PIN: the error names the field, never the digits.
      const keys = Array.from(
        r.bytes(count, 'keys'),
        (b) => keyOf(b) ?? r.fail('keys', 'hold a byte that is not a key'),
      );
      return { kind, reader, keys: keys.join('') };
    }
    case 'COM':
      // 0x7F is the broadcast address: no reader can be told to answer from it.
      return { kind, address: r.u8('address', 0x7e), baudRate: r.u32('baud rate') };
    case 'CCRYPT':
      return {
        kind,
        clientUid: r.bytes(8, 'client UID'),
        pdRandom: r.bytes(8, 'reader random'),
        clientCryptogram: r.bytes(16, 'client cryptogram'),
      };
    case 'RMAC_I':
      return { kind, rmacI: r.bytes(16, 'R-MAC-I') };
  }
}

function keyOf(byte: number): string | undefined {
  if (byte >= 0x30 && byte <= 0x39) return String.fromCharCode(byte);
  if (byte >= 0x41 && byte <= 0x48) return String.fromCharCode(byte);
  if (byte === KEY_STAR) return '*';
  if (byte === KEY_HASH) return '#';
  return undefined;
}

function byteOfKey(key: string): number | undefined {
  if (/^[0-9A-H]$/.test(key)) return key.charCodeAt(0);
  if (key === '*') return KEY_STAR;
  if (key === '#') return KEY_HASH;
  return undefined;
}

/** A reply's code and data from its typed value (the reader side: the PD simulator). */
export function encodeReply(reply: Reply): ReplyBody {
  const code = ReplyCode[reply.kind];
  const w = new DataWriter(reply.kind, code);
  switch (reply.kind) {
    case 'ACK':
    case 'BUSY':
      break;
    case 'NAK':
      w.u8('reason', reply.reasonCode).raw('detail', reply.detail);
      break;
    case 'PDID': {
      const id = reply.identity;
      w.raw('vendor code', id.vendorCode, 3).u8('model', id.model).u8('version', id.version);
      w.u32('serial number', id.serialNumber).u8('firmware major', id.firmware.major);
      w.u8('firmware minor', id.firmware.minor).u8('firmware build', id.firmware.build);
      break;
    }
    case 'PDCAP':
      for (const c of reply.capabilities) {
        w.u8('function code', c.functionCode).u8('compliance', c.compliance).u8('count', c.count);
      }
      break;
    case 'LSTATR':
      w.u8('tamper', reply.tamper ? 1 : 0).u8('power', reply.powerFailure ? 1 : 0);
      break;
    case 'ISTATR':
      for (const input of reply.inputs) w.u8('input', input ? 1 : 0);
      break;
    case 'OSTATR':
      for (const output of reply.outputs) w.u8('output', output ? 1 : 0);
      break;
    case 'RSTATR':
      for (const status of reply.readers) w.u8('reader status', READER_STATUSES.indexOf(status));
      break;
    case 'RAW': {
      const read = reply.read;
      if (read.bitCount === 0 || read.data.length !== Math.ceil(read.bitCount / 8)) {
        w.invalid('data', `must be ceil(bit count / 8) bytes for ${read.bitCount} bits`);
      }
      w.u8('reader', read.reader).u8('format', read.format).u16('bit count', read.bitCount);
      w.raw('data', read.data);
      break;
    }
    case 'FMT':
      if (!/^[\x20-\x7e]*$/.test(reply.text)) w.invalid('characters', 'must be printable ASCII');
      w.u8('reader', reply.reader).u8('direction', reply.direction);
      w.u8('character count', reply.text.length).raw(
        'characters',
        Buffer.from(reply.text, 'latin1'),
      );
      break;
    case 'KEYPAD': {
      const keys = Array.from(
        reply.keys,
        (k) => byteOfKey(k) ?? w.invalid('keys', 'hold a character that is not a key'),
      );
      w.u8('reader', reply.reader)
        .u8('digit count', keys.length)
        .raw('keys', Uint8Array.from(keys));
      break;
    }
    case 'COM':
      w.u8('address', reply.address, 0x7e).u32('baud rate', reply.baudRate);
      break;
    case 'CCRYPT':
      w.raw('client UID', reply.clientUid, 8).raw('reader random', reply.pdRandom, 8);
      w.raw('client cryptogram', reply.clientCryptogram, 16);
      break;
    case 'RMAC_I':
      w.raw('R-MAC-I', reply.rmacI, 16);
      break;
  }
  return { code, data: w.done() };
}

/** What a PDCAP says that the link needs: check mode, Secure Channel, buffer sizes. */
export interface CapabilitySummary {
  crc: boolean;
  secureChannel: boolean;
  /** The reader says it still has the default key SCBK-D (install mode). */
  defaultKey: boolean;
  receiveBufferSize?: number;
  largestCombinedMessage?: number;
}

export function summariseCapabilities(capabilities: readonly Capability[]): CapabilitySummary {
  const find = (fn: number) => capabilities.find((c) => c.functionCode === fn);
  const size = (fn: number) => {
    const c = find(fn);
    return c === undefined ? undefined : c.compliance | (c.count << 8);
  };
  const security = find(CapabilityFunction.COMMUNICATION_SECURITY);
  const summary: CapabilitySummary = {
    crc: (find(CapabilityFunction.CHECK_CHARACTER)?.compliance ?? 0) === 1,
    secureChannel: ((security?.compliance ?? 0) & 0x01) !== 0,
    defaultKey: ((security?.count ?? 0) & 0x01) !== 0,
  };
  const receive = size(CapabilityFunction.RECEIVE_BUFFER_SIZE);
  if (receive !== undefined) summary.receiveBufferSize = receive;
  const combined = size(CapabilityFunction.LARGEST_COMBINED_MESSAGE);
  if (combined !== undefined) summary.largestCombinedMessage = combined;
  return summary;
}
