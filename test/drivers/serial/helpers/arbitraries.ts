import fc from 'fast-check';

/** Random bytes, biased towards the bytes parsers care about (STX, ETX, CR, LF, hex digits). */
export const interestingBytes = (maxLength = 400): fc.Arbitrary<Uint8Array> =>
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0x02, 0x03, 0x0a, 0x0d, 0x2d, 0x3a, 0x53),
        fc.constantFrom(...Buffer.from('0123456789ABCDEFabcdef')),
      ),
      { maxLength },
    )
    .map((values) => Uint8Array.from(values));

/** `bytes` with random cut points, as chunks. */
export function chunked(bytes: Uint8Array): fc.Arbitrary<Buffer[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 20 })
    .map((cuts) => {
      const sorted = cuts.filter((c) => c < bytes.length).sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const cut of sorted) {
        chunks.push(Buffer.from(bytes.subarray(from, cut)));
        from = cut;
      }
      chunks.push(Buffer.from(bytes.subarray(from)));
      return chunks;
    });
}

export const bytesInChunks = (
  maxLength?: number,
): fc.Arbitrary<{ bytes: Uint8Array; chunks: Buffer[] }> =>
  interestingBytes(maxLength).chain((bytes) => chunked(bytes).map((chunks) => ({ bytes, chunks })));
