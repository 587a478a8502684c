import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  nextSequence,
  parseFrame,
  type FrameFields,
} from '../../../drivers/osdp/frame.js';
import { checksum8, crc16 } from '../../../drivers/osdp/integrity.js';
import { hex, unhex } from './helpers/hex.js';

const poll: FrameFields = {
  address: 0,
  reply: false,
  sequence: 0,
  integrity: 'crc',
  code: 0x60,
  data: new Uint8Array(0),
};

describe('CRC-16 and checksum', () => {
  it('is CRC-16/AUG-CCITT: check value 0xE5CC for "123456789"', () => {
    expect(crc16(Buffer.from('123456789', 'ascii'))).toBe(0xe5cc);
  });

  it('matches the SIA annex CRC examples', () => {
    expect(crc16(unhex('53 7f 0d 00 04 6e 00 80 25 00 00'))).toBe(0x386e);
    expect(crc16(unhex('53 00 09 00 04 61 00'))).toBe(0x66c0);
  });

  it('matches the SIA annex checksum examples', () => {
    expect(checksum8(unhex('53 7f 0c 00 00 6e 00 80 25 00 00'))).toBe(0x0f);
    expect(checksum8(unhex('53 00 08 00 00 61 00'))).toBe(0x44);
  });
});

// Published frames: issue 13 and the field notes (POLL), the SIA annex (COMSET broadcast, ID),
// OSDP.Net's tests (commands at sequence 1 and 2, both check modes; a PDID and an ACK off the
// wire). Each is encoded from its fields and read back from its bytes.
const published: { name: string; bytes: string; fields: FrameFields }[] = [
  { name: 'POLL, address 0, sequence 0, CRC', bytes: '53 00 08 00 04 60 eb aa', fields: poll },
  {
    name: 'POLL, address 0, sequence 0, checksum (docs/osdp.md)',
    bytes: '53 00 07 00 00 60 46',
    fields: { ...poll, integrity: 'checksum' },
  },
  {
    name: 'POLL, sequence 2, CRC',
    bytes: '53 00 08 00 06 60 89 cc',
    fields: { ...poll, sequence: 2 },
  },
  {
    name: 'POLL, sequence 2, checksum',
    bytes: '53 00 07 00 02 60 44',
    fields: { ...poll, sequence: 2, integrity: 'checksum' },
  },
  {
    name: 'COMSET broadcast to address 0 at 9600 baud (annex)',
    bytes: '53 7f 0d 00 04 6e 00 80 25 00 00 6e 38',
    fields: { ...poll, address: 0x7f, code: 0x6e, data: unhex('00 80 25 00 00') },
  },
  {
    name: 'COMSET broadcast, checksum (annex)',
    bytes: '53 7f 0c 00 00 6e 00 80 25 00 00 0f',
    fields: {
      ...poll,
      address: 0x7f,
      integrity: 'checksum',
      code: 0x6e,
      data: unhex('00 80 25 00 00'),
    },
  },
  {
    name: 'ID (annex)',
    bytes: '53 00 09 00 04 61 00 c0 66',
    fields: { ...poll, code: 0x61, data: unhex('00') },
  },
  {
    name: 'ID, checksum (annex)',
    bytes: '53 00 08 00 00 61 00 44',
    fields: { ...poll, integrity: 'checksum', code: 0x61, data: unhex('00') },
  },
  {
    name: 'BUZ, sequence 2',
    bytes: '53 00 0d 00 06 6a 00 02 02 02 01 59 92',
    fields: { ...poll, sequence: 2, code: 0x6a, data: unhex('00 02 02 02 01') },
  },
  {
    name: 'OUT with two records, checksum',
    bytes: '53 00 0f 00 02 68 00 03 64 00 01 06 78 00 4e',
    fields: {
      ...poll,
      sequence: 2,
      integrity: 'checksum',
      code: 0x68,
      data: unhex('00 03 64 00 01 06 78 00'),
    },
  },
  {
    name: 'KEYSET, sequence 2',
    bytes: '53 00 1a 00 06 75 01 10 00 01 02 03 04 05 06 07 00 01 02 03 04 05 06 07 cf a3',
    fields: {
      ...poll,
      sequence: 2,
      code: 0x75,
      data: unhex('01 10 00 01 02 03 04 05 06 07 00 01 02 03 04 05 06 07'),
    },
  },
  {
    name: 'POLL to address 0x65 (libosdp)',
    bytes: '53 65 08 00 04 60 60 90',
    fields: { ...poll, address: 0x65 },
  },
  {
    name: 'ID to address 0x65 (libosdp)',
    bytes: '53 65 09 00 04 61 00 d9 7a',
    fields: { ...poll, address: 0x65, code: 0x61, data: unhex('00') },
  },
  {
    name: 'CHLNG bytes without a security block (libosdp)',
    bytes: '53 65 10 00 04 76 01 02 03 04 05 06 07 08 0d 20',
    fields: { ...poll, address: 0x65, code: 0x76, data: unhex('01 02 03 04 05 06 07 08') },
  },
  {
    name: 'PDID reply from a reader',
    bytes: '53 80 14 00 06 45 00 0e e3 10 10 00 00 74 97 23 06 06 1b 88',
    fields: {
      ...poll,
      reply: true,
      sequence: 2,
      code: 0x45,
      data: unhex('00 0e e3 10 10 00 00 74 97 23 06 06'),
    },
  },
  {
    name: 'ACK reply from a reader',
    bytes: '53 80 08 00 05 40 68 9f',
    fields: { ...poll, reply: true, sequence: 1, code: 0x40 },
  },
];

describe('published frames, byte for byte', () => {
  for (const { name, bytes, fields } of published) {
    it(`encodes ${name}`, () => {
      expect(hex(encodeFrame(fields, { mark: false }))).toBe(bytes);
    });

    it(`reads ${name}`, () => {
      const parsed = parseFrame(unhex(bytes));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const { bytes: raw, ...read } = parsed.value;
      expect(hex(raw)).toBe(bytes);
      expect({ ...read, data: hex(read.data) }).toEqual({ ...fields, data: hex(fields.data) });
    });
  }

  it('puts the 0xFF mark byte first by default, outside LEN and the CRC', () => {
    expect(hex(encodeFrame(poll))).toBe('ff 53 00 08 00 04 60 eb aa');
  });
});

describe('encoding refuses fields out of range (a programming error: it throws)', () => {
  it.each([
    ['address', { ...poll, address: 0x80 }, /address must be 0x00-0x7F/],
    ['sequence', { ...poll, sequence: 4 as 0 }, /sequence must be 0-3/],
    ['code', { ...poll, code: 0x100 }, /code must be a byte/],
    ['data', { ...poll, data: new Uint8Array(0x10000) }, /exceeds LEN/],
  ])('%s', (_field, fields, message) => {
    expect(() => encodeFrame(fields)).toThrow(message);
  });

  it('a frame whose security block needs a MAC, without one', () => {
    const fields = { ...poll, security: { type: 0x15, data: new Uint8Array(0) } };
    expect(() => encodeFrame(fields)).toThrow(/needs a MAC/);
  });
});

describe('security blocks and MACs', () => {
  it('writes the block, then the MAC over SOM…data with LEN counting MAC and CRC', () => {
    let covered = '';
    const bytes = encodeFrame(
      { ...poll, sequence: 1, security: { type: 0x15, data: new Uint8Array(0) } },
      {
        mark: false,
        mac: (message) => {
          covered = hex(message);
          return unhex('a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af b0');
        },
      },
    );
    expect(covered).toBe('53 00 0e 00 0d 02 15 60');
    const parsed = parseFrame(bytes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(hex(bytes.subarray(8, 12))).toBe('a1 a2 a3 a4');
    expect(parsed.value.security?.type).toBe(0x15);
    expect(hex(parsed.value.mac ?? new Uint8Array(0))).toBe('a1 a2 a3 a4');
    expect(parsed.value.data.length).toBe(0);
  });

  it('reads a handshake block with its data byte and no MAC', () => {
    const bytes = encodeFrame(
      {
        ...poll,
        security: { type: 0x11, data: unhex('00') },
        code: 0x76,
        data: unhex('b0 b1 b2 b3 b4 b5 b6 b7'),
      },
      { mark: false },
    );
    const parsed = parseFrame(bytes);
    expect(parsed.ok && parsed.value.mac).toBeUndefined();
    expect(parsed.ok && hex(parsed.value.security?.data ?? new Uint8Array(1))).toBe('00');
    expect(parsed.ok && hex(parsed.value.data)).toBe('b0 b1 b2 b3 b4 b5 b6 b7');
  });

  it('refuses a block that does not fit its frame, naming where', () => {
    // Control says "security block", the block claims 9 bytes in a 12-byte frame.
    const bytes = Buffer.concat([unhex('53 00 0c 00 0c 09 15 60 00 00'), Buffer.alloc(2)]);
    bytes.writeUInt16LE(crc16(bytes.subarray(0, 10)), 10);
    const parsed = parseFrame(bytes, 40);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('BAD_SECURITY_BLOCK');
    expect(parsed.error.details.offset).toBe(40);
    expect(parsed.error.message).toMatch(/at byte 40 \(address 0\)/);
  });
});

describe('sequence numbers', () => {
  it('run 1, 2, 3, 1: zero only starts a conversation', () => {
    expect([0, 1, 2, 3].map((s) => nextSequence(s as 0))).toEqual([1, 2, 3, 1]);
  });
});
