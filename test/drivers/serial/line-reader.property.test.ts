import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../drivers/serial/line-reader.js';
import { bytesInChunks } from './helpers/arbitraries.js';
import { collect } from './helpers/collect.js';

describe('LineReader properties', () => {
  it('never throws, emits only non-empty printable lines within maxLength, stays bounded', async () => {
    await fc.assert(
      fc.asyncProperty(
        bytesInChunks(),
        fc.integer({ min: 1, max: 40 }),
        async (input, maxLength) => {
          const reader = new LineReader({ maxLength });
          const lines: string[] = [];
          reader.on('data', (line: string) => lines.push(line));
          for (const chunk of input.chunks) {
            await new Promise((resolve) => reader.write(chunk, resolve));
            expect(reader.bufferedLength).toBeLessThanOrEqual(maxLength + 1);
          }
          reader.end();
          await new Promise((resolve) => reader.once('end', resolve));
          for (const line of lines) {
            expect(line).toMatch(/^[\t\x20-\x7e]+$/);
            expect(line.length).toBeLessThanOrEqual(maxLength);
          }
        },
      ),
    );
  });

  it('gives the same output however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(bytesInChunks(), async ({ bytes, chunks }) => {
        const whole = await collect(new LineReader(), [Buffer.from(bytes)]);
        expect(await collect(new LineReader(), chunks)).toEqual(whole);
      }),
    );
  });

  it('passes every printable line through unchanged', async () => {
    const line = fc.stringMatching(/^[\x20-\x7e]{1,64}$/);
    const terminator = fc.constantFrom('\r', '\n', '\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(line, terminator), { maxLength: 10 }), async (pairs) => {
        const text = pairs.map(([l, t]) => l + t).join('');
        const { out } = await collect<string>(new LineReader(), [Buffer.from(text, 'latin1')]);
        expect(out).toEqual(pairs.map(([l]) => l));
      }),
    );
  });
});
