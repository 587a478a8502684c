import { describe, expect, it } from 'vitest';
import { encodeFrame, type FrameFields } from '../../../drivers/osdp/frame.js';
import { FrameDecoder } from '../../../drivers/osdp/frame-decoder.js';
import { errorsOf, feed, framesOf } from './helpers/frames.js';
import { hex, unhex } from './helpers/hex.js';

const POLL = unhex('53 00 08 00 04 60 eb aa');
const ACK = unhex('53 80 08 00 05 40 68 9f');

const card: FrameFields = {
  address: 3,
  reply: true,
  sequence: 2,
  integrity: 'crc',
  code: 0x50,
  data: unhex('00 01 1a 00 86 43 83 c0'),
};

describe('FrameDecoder', () => {
  it('reads a frame with or without the mark byte, one byte at a time', () => {
    const decoder = new FrameDecoder();
    const bytes = Buffer.concat([unhex('ff'), POLL, ACK]);
    const outputs = feed(
      decoder,
      Array.from(bytes, (b) => Uint8Array.of(b)),
    );
    expect(errorsOf(outputs)).toEqual([]);
    expect(framesOf(outputs).map((f) => hex(f.bytes))).toEqual([hex(POLL), hex(ACK)]);
    expect(decoder.bufferedLength).toBe(0);
  });

  it('finds a frame after garbage and says where the garbage was', () => {
    const decoder = new FrameDecoder();
    const outputs = decoder.push(Buffer.concat([unhex('01 02 03'), ACK]));
    expect(framesOf(outputs)).toHaveLength(1);
    const [garbage] = errorsOf(outputs);
    expect(garbage?.code).toBe('GARBAGE');
    expect(garbage?.details).toEqual({ offset: 0, length: 3 });
    expect(garbage?.message).toBe('3 bytes outside a frame from byte 0');
  });

  it('reports one run of garbage once, however it was chunked', () => {
    const decoder = new FrameDecoder();
    const outputs = feed(decoder, [unhex('01 02'), unhex('03'), unhex('04 05'), POLL]);
    expect(errorsOf(outputs).map((e) => [e.code, e.details.length])).toEqual([['GARBAGE', 5]]);
  });

  it('refuses a frame with a bad CRC, and finds the real frame that started inside it', () => {
    // A false SOM whose LEN (0x0a) swallows the start of a real frame.
    const decoder = new FrameDecoder();
    const outputs = decoder.push(Buffer.concat([unhex('53 00 0a 00 04'), ACK]));
    const errors = errorsOf(outputs);
    expect(errors[0]?.code).toBe('BAD_CRC');
    expect(errors[0]?.details.offset).toBe(0);
    expect(framesOf(outputs).map((f) => hex(f.bytes))).toEqual([hex(ACK)]);
  });

  it('reports a long run of garbage every 1024 bytes, keeping each report bounded', () => {
    const decoder = new FrameDecoder();
    const outputs = decoder.push(Buffer.alloc(2500, 0x01));
    expect(errorsOf(outputs).map((e) => [e.details.offset, e.details.length])).toEqual([
      [0, 1024],
      [1024, 1024],
    ]);
    expect(decoder.bufferedLength).toBe(0);
    expect(decoder.reset().map((e) => [e.details.offset, e.details.length])).toEqual([[2048, 452]]);
  });

  it('refuses a bad checksum', () => {
    const decoder = new FrameDecoder();
    const [output] = decoder.push(unhex('53 00 07 00 02 60 45'));
    expect(output?.kind === 'error' && output.error.code).toBe('BAD_CHECKSUM');
  });

  it('refuses a LEN too short for its control byte, naming the address and offset', () => {
    const decoder = new FrameDecoder();
    const outputs = decoder.push(Buffer.concat([unhex('ff ff 53 05 06 00 04'), POLL]));
    const [error] = errorsOf(outputs);
    expect(error?.code).toBe('FRAME_TOO_SHORT');
    expect(error?.details).toMatchObject({ offset: 2, address: 5, length: 6 });
    expect(error?.message).toBe(
      'frame at byte 2 (address 5) declares 6 bytes, below the 8 its control byte needs',
    );
    expect(framesOf(outputs)).toHaveLength(1);
  });

  it('refuses a LEN beyond its maximum at once, without waiting for the bytes', () => {
    const decoder = new FrameDecoder({ maxFrameLength: 64 });
    const outputs = decoder.push(Buffer.concat([unhex('53 00 41 00 04'), POLL]));
    // The rest of the false header is garbage: reported as such.
    expect(errorsOf(outputs).map((e) => [e.code, e.details.length])).toEqual([
      ['FRAME_TOO_LONG', 0x41],
      ['GARBAGE', 4],
    ]);
    expect(framesOf(outputs)).toHaveLength(1);
  });

  it('holds a frame still arriving, and reset() reports and drops it', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(POLL.subarray(0, 5))).toEqual([]);
    expect(decoder.bufferedLength).toBe(5);
    const dropped = decoder.reset();
    expect(dropped.map((e) => [e.code, e.details.offset, e.details.length])).toEqual([
      ['FRAME_INCOMPLETE', 0, 5],
    ]);
    expect(decoder.bufferedLength).toBe(0);
    // Offsets keep counting the stream.
    const [frame] = framesOf(decoder.push(POLL));
    expect(frame && hex(frame.bytes)).toBe(hex(POLL));
    expect(errorsOf(decoder.push(unhex('00')))).toEqual([]);
    expect(decoder.reset().map((e) => e.details)).toEqual([{ offset: 13, length: 1 }]);
  });

  it('reads a card read reply with its data', () => {
    const decoder = new FrameDecoder();
    const [frame] = framesOf(decoder.push(encodeFrame(card)));
    expect(frame).toMatchObject({ address: 3, reply: true, sequence: 2, code: 0x50 });
    expect(frame && hex(frame.data)).toBe('00 01 1a 00 86 43 83 c0');
  });

  it('skips a frame whose check passes but whose security block cannot be, whole', () => {
    const decoder = new FrameDecoder();
    const bad = encodeFrame(
      { ...card, security: { type: 0x11, data: new Uint8Array(0) } },
      { mark: false },
    );
    // Make the block claim more bytes than the frame has, and fix the CRC up.
    bad[5] = 0x30;
    const body = bad.subarray(0, bad.length - 2);
    const fixed = encodeFrameCrc(body);
    const outputs = decoder.push(Buffer.concat([fixed, ACK]));
    expect(errorsOf(outputs).map((e) => e.code)).toEqual(['BAD_SECURITY_BLOCK']);
    expect(framesOf(outputs)).toHaveLength(1);
  });

  it('refuses a maximum it cannot honour', () => {
    expect(() => new FrameDecoder({ maxFrameLength: 7 })).toThrow(/maxFrameLength/);
    expect(() => new FrameDecoder({ maxFrameLength: 70_000 })).toThrow(/maxFrameLength/);
  });
});

function encodeFrameCrc(body: Uint8Array): Buffer {
  // The CRC of `body`, appended low byte first (the decoder test's own, independent of frame.ts).
  let crc = 0x1d0f;
  for (const byte of body) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return Buffer.concat([body, Buffer.of(crc & 0xff, crc >> 8)]);
}
