import { describe, expect, it } from 'vitest';
import { Rdm6300Parser, type Rdm6300Read } from '../../../drivers/serial/rdm6300-parser.js';
import {
  BAD_CHECKSUM_FRAME,
  BINARY_CONTROL_CARD,
  BINARY_FRAME,
  BINARY_FRAME_WITH_CONTROL_BYTES,
  bytes,
  CRLF_FRAME,
  FIELD_NOTES_CARD,
  FIELD_NOTES_FRAME,
  LONG_FRAME,
  LOWERCASE_CARD,
  LOWERCASE_FRAME,
  NON_HEX_FRAME,
  SECOND_CARD,
  SECOND_FRAME,
  SHORT_FRAME,
  ZERO_CARD,
  ZERO_FRAME,
} from './fixtures/rdm6300-frames.js';
import { collect, oneByteAtATime, splitAt } from './helpers/collect.js';

const parse = (chunks: Iterable<Buffer>) => collect<Rdm6300Read>(new Rdm6300Parser(), chunks);
const cards = async (chunks: Iterable<Buffer>) => (await parse(chunks)).out.map((r) => r.card);

describe('Rdm6300Parser', () => {
  it.each([
    ['field-notes example', FIELD_NOTES_FRAME, FIELD_NOTES_CARD],
    ['second card', SECOND_FRAME, SECOND_CARD],
    ['all zeros', ZERO_FRAME, ZERO_CARD],
    ['lower-case digits, upper-cased', LOWERCASE_FRAME, LOWERCASE_CARD],
    ['CR LF inside the frame', CRLF_FRAME, FIELD_NOTES_CARD],
    ['binary variant', BINARY_FRAME, FIELD_NOTES_CARD],
    ['binary variant with STX/ETX data', BINARY_FRAME_WITH_CONTROL_BYTES, BINARY_CONTROL_CARD],
  ])('decodes the %s fed whole', async (_name, frame, card) => {
    expect(await parse([frame])).toEqual({ out: [{ card }], garbled: [] });
  });

  it.each([
    ['ASCII', FIELD_NOTES_FRAME],
    ['CR LF', CRLF_FRAME],
    ['binary', BINARY_FRAME],
  ])('decodes the %s frame fed one byte at a time', async (_name, frame) => {
    expect(await parse(oneByteAtATime(frame))).toEqual({
      out: [{ card: FIELD_NOTES_CARD }],
      garbled: [],
    });
  });

  it('decodes two frames split at every possible boundary', async () => {
    const stream = Buffer.concat([FIELD_NOTES_FRAME, SECOND_FRAME]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(await cards(splitAt(stream, [cut])), `cut at ${cut}`).toEqual([
        FIELD_NOTES_CARD,
        SECOND_CARD,
      ]);
    }
  });

  it('decodes a frame whose checksum arrives alone in its own chunk', async () => {
    const chunks = splitAt(FIELD_NOTES_FRAME, [11, 13]);
    expect(chunks[1]).toEqual(bytes('32 36'));
    expect(await cards(chunks)).toEqual([FIELD_NOTES_CARD]);
  });

  it('skips garbage before the start byte and reports it once', async () => {
    const result = await parse([bytes('FF 00 41 42'), FIELD_NOTES_FRAME]);
    expect(result.out).toEqual([{ card: FIELD_NOTES_CARD }]);
    expect(result.garbled).toEqual([{ reason: 'bytes outside a frame', bytes: 'ff 00 41 42' }]);
  });

  it('ignores CR LF between frames', async () => {
    const crlf = bytes('0D 0A');
    expect(await parse([FIELD_NOTES_FRAME, crlf, SECOND_FRAME, crlf])).toEqual({
      out: [{ card: FIELD_NOTES_CARD }, { card: SECOND_CARD }],
      garbled: [],
    });
  });

  it.each([
    ['bad checksum', BAD_CHECKSUM_FRAME],
    ['non-hex content', NON_HEX_FRAME],
    ['wrong length', SHORT_FRAME],
    ['wrong length', LONG_FRAME],
  ])('drops a frame with %s and resynchronises on the next STX', async (reason, bad) => {
    const result = await parse([bad, SECOND_FRAME]);
    expect(result.out).toEqual([{ card: SECOND_CARD }]);
    expect(result.garbled).toHaveLength(1);
    expect(result.garbled[0]?.reason).toBe(reason);
  });

  it('shows the dropped frame in hex', async () => {
    const { garbled } = await parse([BAD_CHECKSUM_FRAME]);
    expect(garbled).toEqual([
      { reason: 'bad checksum', bytes: '02 31 30 30 30 38 36 46 34 34 34 32 37 03' },
    ]);
  });

  it('abandons a frame interrupted by a new STX and decodes the new one', async () => {
    const result = await parse([bytes('02 31 30 30'), SECOND_FRAME]);
    expect(result.out).toEqual([{ card: SECOND_CARD }]);
    expect(result.garbled).toEqual([{ reason: 'incomplete frame', bytes: '02 31 30 30' }]);
  });

  it('recovers an ASCII frame that starts right after a false binary marker', async () => {
    // 02 0A looks like an ASCII frame with an LF; the next 02 then reads as the binary marker.
    const result = await parse([bytes('02 0A'), FIELD_NOTES_FRAME]);
    expect(result.out).toEqual([{ card: FIELD_NOTES_CARD }]);
  });

  it('reports a frame cut short by the end of the stream', async () => {
    const { garbled } = await parse([FIELD_NOTES_FRAME.subarray(0, 6)]);
    expect(garbled).toEqual([{ reason: 'incomplete frame', bytes: '02 31 30 30 30 38' }]);
  });

  it('keeps its buffer bounded on an endless frame without ETX', () => {
    const parser = new Rdm6300Parser();
    const garbled: unknown[] = [];
    parser.on('garbled', (g) => garbled.push(g));
    parser.resume();
    parser.write(bytes('02'));
    for (let i = 0; i < 10_000; i++) {
      parser.write(Buffer.from('3130', 'hex'));
      expect(parser.bufferedLength).toBeLessThanOrEqual(Rdm6300Parser.maxBuffered);
    }
    expect(garbled).toHaveLength(1);
  });

  it('keeps its buffer bounded on endless garbage and on endless CR LF inside a frame', () => {
    const parser = new Rdm6300Parser();
    parser.resume();
    for (let i = 0; i < 2_000; i++) {
      parser.write(Buffer.alloc(100, 0x41));
      expect(parser.bufferedLength).toBeLessThanOrEqual(Rdm6300Parser.maxBuffered);
    }
    parser.write(bytes('02'));
    for (let i = 0; i < 2_000; i++) {
      parser.write(bytes('0D 0A'));
      expect(parser.bufferedLength).toBeLessThanOrEqual(Rdm6300Parser.maxBuffered);
    }
  });

  it('reports a long run of garbage once, with at most 32 bytes shown', async () => {
    const { garbled } = await parse([Buffer.alloc(1000, 0x41), FIELD_NOTES_FRAME]);
    expect(garbled).toHaveLength(1);
    expect(garbled[0]?.bytes.split(' ')).toHaveLength(32);
  });
});
