import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../drivers/osdp/frame.js';
import { DEFAULT_MAX_FRAME_LENGTH, FrameDecoder } from '../../../drivers/osdp/frame-decoder.js';
import { busNoise, chunked, errorsOf, feed, frameFields, framesOf } from './helpers/frames.js';
import { hex } from './helpers/hex.js';

describe('FrameDecoder properties', () => {
  it('round-trips any plain frame: encode → decode gives the same fields', () => {
    fc.assert(
      fc.property(frameFields(), fc.boolean(), (fields, mark) => {
        const decoder = new FrameDecoder();
        const outputs = decoder.push(encodeFrame(fields, { mark }));
        expect(errorsOf(outputs)).toEqual([]);
        const [frame] = framesOf(outputs);
        expect(frame).toBeDefined();
        if (frame === undefined) return;
        const { bytes: _bytes, ...read } = frame;
        expect({ ...read, data: hex(read.data) }).toEqual({ ...fields, data: hex(fields.data) });
      }),
    );
  });

  it('never throws on random bytes, and holds at most maxFrameLength bytes', () => {
    fc.assert(
      fc.property(busNoise(2000).chain(chunked), (chunks) => {
        const decoder = new FrameDecoder();
        for (const chunk of chunks) {
          decoder.push(chunk);
          expect(decoder.bufferedLength).toBeLessThan(DEFAULT_MAX_FRAME_LENGTH);
        }
        decoder.reset();
        expect(decoder.bufferedLength).toBe(0);
      }),
    );
  });

  it('finds a valid frame after any garbage once its bytes are in', () => {
    const scenario = fc
      .record({ garbage: busNoise(), fields: frameFields() })
      .chain(({ garbage, fields }) => {
        const bytes = Buffer.concat([garbage, encodeFrame(fields)]);
        return chunked(bytes).map((chunks) => ({ fields, chunks }));
      });
    fc.assert(
      fc.property(scenario, ({ fields, chunks }) => {
        const decoder = new FrameDecoder({ maxFrameLength: 128 });
        const frames = framesOf(feed(decoder, chunks));
        // The garbage may end in a false SOM whose LEN is still waiting for bytes: a reply
        // timeout resets the decoder then. What matters: after the reset, or at once, the frame
        // is found, unless garbage happened to hold a valid frame that swallowed it.
        const expected = hex(encodeFrame(fields, { mark: false }));
        const found = frames.some((f) => hex(f.bytes) === expected);
        if (!found) {
          decoder.reset();
          const again = framesOf(decoder.push(encodeFrame(fields)));
          expect(again.map((f) => hex(f.bytes))).toContain(expected);
        }
      }),
    );
  });

  it('finds a valid frame at once after garbage that holds no SOM', () => {
    const scenario = fc
      .record({
        garbage: busNoise().map((g) => g.filter((b) => b !== 0x53)),
        fields: frameFields(),
      })
      .chain(({ garbage, fields }) =>
        chunked(Buffer.concat([garbage, encodeFrame(fields)])).map((chunks) => ({
          garbage,
          fields,
          chunks,
        })),
      );
    fc.assert(
      fc.property(scenario, ({ garbage, fields, chunks }) => {
        const outputs = feed(new FrameDecoder(), chunks);
        expect(framesOf(outputs).map((f) => hex(f.bytes))).toEqual([
          hex(encodeFrame(fields, { mark: false })),
        ]);
        const dropped = errorsOf(outputs).reduce((sum, e) => sum + (e.details.length ?? 0), 0);
        expect(dropped).toBe(garbage.filter((b) => b !== 0xff).length);
      }),
    );
  });

  it('gives the same frames however the bytes are chunked', () => {
    const scenario = fc
      .array(
        fc.oneof(
          busNoise(40),
          frameFields().map((f) => encodeFrame(f)),
        ),
        { maxLength: 8 },
      )
      .map((parts) => Buffer.concat(parts))
      .chain((bytes) => chunked(bytes).map((chunks) => ({ bytes, chunks })));
    fc.assert(
      fc.property(scenario, ({ bytes, chunks }) => {
        const whole = framesOf(new FrameDecoder().push(bytes)).map((f) => hex(f.bytes));
        const pieces = framesOf(feed(new FrameDecoder(), chunks)).map((f) => hex(f.bytes));
        expect(pieces).toEqual(whole);
      }),
    );
  });
});
