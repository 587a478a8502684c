import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rdm6300Parser, type Rdm6300Read } from '../../../drivers/serial/rdm6300-parser.js';
import { FIELD_NOTES_CARD, FIELD_NOTES_FRAME } from './fixtures/rdm6300-frames.js';
import { bytesInChunks, chunked, interestingBytes } from './helpers/arbitraries.js';
import { collect } from './helpers/collect.js';

describe('Rdm6300Parser properties', () => {
  it('never throws, emits only well-formed cards, and keeps its buffer bounded', async () => {
    await fc.assert(
      fc.asyncProperty(bytesInChunks(), async ({ chunks }) => {
        const parser = new Rdm6300Parser();
        const seen: Rdm6300Read[] = [];
        parser.on('data', (read: Rdm6300Read) => seen.push(read));
        for (const chunk of chunks) {
          parser.write(chunk);
          expect(parser.bufferedLength).toBeLessThanOrEqual(Rdm6300Parser.maxBuffered);
        }
        parser.end();
        await new Promise((resolve) => parser.once('end', resolve));
        for (const read of seen) expect(read.card).toMatch(/^[0-9A-F]{10}$/);
      }),
    );
  });

  it('gives the same output however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(bytesInChunks(), async ({ bytes, chunks }) => {
        const whole = await collect(new Rdm6300Parser(), [Buffer.from(bytes)]);
        expect(await collect(new Rdm6300Parser(), chunks)).toEqual(whole);
      }),
    );
  });

  it('always recovers a valid frame that follows any garbage', async () => {
    const stream = interestingBytes(100).chain((garbage) =>
      chunked(Buffer.concat([garbage, FIELD_NOTES_FRAME])),
    );
    await fc.assert(
      fc.asyncProperty(stream, async (chunks) => {
        const { out } = await collect<Rdm6300Read>(new Rdm6300Parser(), chunks);
        expect(out.at(-1)).toEqual({ card: FIELD_NOTES_CARD });
      }),
    );
  });
});
