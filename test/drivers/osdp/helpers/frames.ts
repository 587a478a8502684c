import fc from 'fast-check';
import type { FrameFields, Sequence } from '../../../../drivers/osdp/frame.js';
import type { DecoderOutput, FrameDecoder } from '../../../../drivers/osdp/frame-decoder.js';

/** Any plain frame's fields (no security block): any address, sequence, code and data. */
export const frameFields = (maxData = 64): fc.Arbitrary<FrameFields> =>
  fc.record({
    address: fc.integer({ min: 0, max: 0x7f }),
    reply: fc.boolean(),
    sequence: fc.constantFrom<Sequence>(0, 1, 2, 3),
    integrity: fc.constantFrom('crc' as const, 'checksum' as const),
    code: fc.integer({ min: 0, max: 0xff }),
    data: fc.uint8Array({ maxLength: maxData }),
  });

/** Random bytes, biased towards the ones OSDP framing cares about (SOM, mark, small lengths). */
export const busNoise = (maxLength = 300): fc.Arbitrary<Uint8Array> =>
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0x53, 0xff, 0x00, 0x04, 0x08, 0x80, 0x0c),
      ),
      { maxLength },
    )
    .map((values) => Uint8Array.from(values));

/** `bytes` cut at random points. */
export function chunked(bytes: Uint8Array): fc.Arbitrary<Uint8Array[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 20 })
    .map((cuts) => {
      const sorted = cuts.filter((c) => c < bytes.length).sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let from = 0;
      for (const cut of sorted) {
        chunks.push(bytes.subarray(from, cut));
        from = cut;
      }
      chunks.push(bytes.subarray(from));
      return chunks;
    });
}

export function feed(decoder: FrameDecoder, chunks: Uint8Array[]): DecoderOutput[] {
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

export function framesOf(outputs: DecoderOutput[]) {
  return outputs.flatMap((o) => (o.kind === 'frame' ? [o.frame] : []));
}

export function errorsOf(outputs: DecoderOutput[]) {
  return outputs.flatMap((o) => (o.kind === 'error' ? [o.error] : []));
}
