import type { Transform } from 'node:stream';
import { parseFobLine } from '../../drivers/serial/fob-line.js';
import { Rdm6300Parser, type Rdm6300Read } from '../../drivers/serial/rdm6300-parser.js';

/**
 * What the daemon's own reader parsers make of some bytes, worked out synchronously in the
 * test (the parsers are driven directly, not through the stream machinery), so a generator can
 * know before sending what a burst of bytes will read as.
 */
function run<T>(parser: Transform, bytes: Buffer): T[] {
  const out: T[] = [];
  parser.push = (chunk: unknown) => {
    if (chunk !== null) out.push(chunk as T);
    return true;
  };
  parser._transform(bytes, 'latin1', () => undefined); // the encoding of a Buffer is ignored
  return out;
}

/** The cards an RDM6300 parser in its starting state reads from these bytes. */
export function cardsIn(bytes: Buffer): string[] {
  return run<Rdm6300Read>(new Rdm6300Parser(), bytes).map((r) => r.card);
}

/**
 * The slot readings a fob reader in its starting state reads from these bytes. The lines are
 * found by an independent rendering of the wire rule (drivers/serial/line-reader.ts): split on
 * CR or LF, keep terminated, non-empty lines of at most 64 printable bytes (TAB included).
 */
export function fobReadingsIn(
  bytes: Buffer,
  slotCount: number,
): Array<{ slot: number; tag: string | null }> {
  const pieces = bytes.toString('latin1').split(/[\r\n]/);
  pieces.pop(); // after the last terminator: unterminated
  return pieces
    .filter((line) => line.length > 0 && line.length <= 64 && /^[\t\x20-\x7e]+$/.test(line))
    .flatMap((line) => {
      const result = parseFobLine(line, slotCount);
      return result.ok ? [{ slot: result.slot, tag: result.tag }] : [];
    });
}
