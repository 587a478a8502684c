import { finished } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import type { Garbled } from '../../../../drivers/serial/garbled.js';

export interface Collected<T> {
  out: T[];
  garbled: Garbled[];
}

/** Writes each chunk to a fresh parser, ends it, and returns everything it emitted. */
export async function collect<T>(
  parser: Transform,
  chunks: Iterable<Buffer>,
): Promise<Collected<T>> {
  const result: Collected<T> = { out: [], garbled: [] };
  parser.on('data', (item: T) => result.out.push(item));
  parser.on('garbled', (g: Garbled) => result.garbled.push(g));
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  await finished(parser);
  return result;
}

/** The buffer cut at every index in `cuts` (ascending). */
export function splitAt(buffer: Buffer, cuts: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(buffer.subarray(from, cut));
    from = cut;
  }
  parts.push(buffer.subarray(from));
  return parts;
}

export function oneByteAtATime(buffer: Buffer): Buffer[] {
  return Array.from(buffer, (b) => Buffer.from([b]));
}
