import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { Garbled } from '../../../drivers/serial/garbled.js';
import { LineReader } from '../../../drivers/serial/line-reader.js';
import { bytes } from './fixtures/rdm6300-frames.js';
import { collect, oneByteAtATime, splitAt } from './helpers/collect.js';

const split = (chunks: Iterable<Buffer>, maxLength?: number) =>
  collect<string>(new LineReader({ maxLength }), chunks);

/** Resolves once the reader has taken the chunk in. */
const write = (reader: LineReader, chunk: Buffer) =>
  new Promise<void>((resolve, reject) =>
    reader.write(chunk, (err) => (err ? reject(err) : resolve())),
  );

describe('LineReader', () => {
  it.each([
    ['LF', '0008844356\n123\n'],
    ['CR', '0008844356\r123\r'],
    ['CR LF', '0008844356\r\n123\r\n'],
    ['mixed, with empty lines', '\r\n0008844356\n\n\r123\r\n\r\n'],
  ])('splits on %s', async (_name, text) => {
    expect(await split([Buffer.from(text)])).toEqual({ out: ['0008844356', '123'], garbled: [] });
  });

  it('splits the same way at every chunk boundary and one byte at a time', async () => {
    const stream = Buffer.from('S03:100086F444\r\nS03:-\r\n');
    const expected = ['S03:100086F444', 'S03:-'];
    expect((await split(oneByteAtATime(stream))).out).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++) {
      expect((await split(splitAt(stream, [cut]))).out, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('keeps a line of exactly maxLength', async () => {
    expect((await split([Buffer.from('12345678\n')], 8)).out).toEqual(['12345678']);
  });

  it('drops an overlong line up to its terminator and carries on', async () => {
    const result = await split([Buffer.from('123456789abc\n42\n')], 8);
    expect(result.out).toEqual(['42']);
    expect(result.garbled).toEqual([{ reason: 'line too long', bytes: '31 32 33 34 35 36 37 38' }]);
  });

  it('keeps its buffer bounded on a never-ending line, then reads the next good line', async () => {
    const reader = new LineReader();
    const out: string[] = [];
    const garbled: Garbled[] = [];
    reader.on('data', (line: string) => out.push(line));
    reader.on('garbled', (g: Garbled) => garbled.push(g));
    let largest = 0;
    // 16 MiB without a terminator, in serial-port-sized and odd-sized chunks.
    for (let i = 0; i < 512; i++) {
      await write(reader, Buffer.alloc(i % 2 === 0 ? 32_768 : 32_767, 0x31));
      largest = Math.max(largest, reader.bufferedLength);
    }
    await write(reader, Buffer.from('1111\r\n0008844356\r\n'));
    reader.end();
    await finished(reader);

    expect(largest).toBeLessThanOrEqual(65);
    expect(out).toEqual(['0008844356']);
    expect(garbled).toEqual([
      { reason: 'line too long', bytes: Array(32).fill('31').join(' ') + ' …' },
    ]);
  });

  it('cuts an overlong line wherever the chunks split it, and reports it once', async () => {
    const stream = Buffer.from(`12\n${'9'.repeat(70)}\r\n34\r`);
    for (let cut = 1; cut < stream.length; cut++) {
      const result = await split(splitAt(stream, [cut]));
      expect(result.out, `cut at ${cut}`).toEqual(['12', '34']);
      expect(
        result.garbled.map((g) => g.reason),
        `cut at ${cut}`,
      ).toEqual(['line too long']);
    }
    expect((await split(oneByteAtATime(stream))).out).toEqual(['12', '34']);
  });

  it('drops a line with a non-printable byte', async () => {
    const result = await split([bytes('31 32 00 33 0A 34 0A')]);
    expect(result.out).toEqual(['4']);
    expect(result.garbled).toEqual([{ reason: 'non-printable byte', bytes: '31 32 00 33' }]);
  });

  it('reports an unterminated line at the end of the stream', async () => {
    const result = await split([Buffer.from('1\n23')]);
    expect(result.out).toEqual(['1']);
    expect(result.garbled).toEqual([{ reason: 'unterminated line', bytes: '32 33' }]);
  });

  it('rejects a maxLength that is not a positive integer', () => {
    expect(() => new LineReader({ maxLength: 0 })).toThrow(RangeError);
  });
});
