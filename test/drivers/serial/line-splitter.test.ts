import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../drivers/serial/line-splitter.js';
import { bytes } from './fixtures/rdm6300-frames.js';
import { collect, oneByteAtATime, splitAt } from './helpers/collect.js';

const split = (chunks: Iterable<Buffer>, maxLength?: number) =>
  collect<string>(new LineSplitter({ maxLength }), chunks);

describe('LineSplitter', () => {
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

  it('keeps its buffer bounded on an endless line without terminator', () => {
    const splitter = new LineSplitter();
    const garbled: unknown[] = [];
    splitter.on('garbled', (g) => garbled.push(g));
    splitter.resume();
    for (let i = 0; i < 1_000; i++) {
      splitter.write(Buffer.alloc(100, 0x31));
      expect(splitter.bufferedLength).toBeLessThanOrEqual(64);
    }
    expect(garbled).toHaveLength(1);
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
    expect(() => new LineSplitter({ maxLength: 0 })).toThrow(RangeError);
  });
});
