import { hasLoneSurrogate } from './canonical-json.js';
import { truncate } from './truncate.js';

/**
 * What a received JSON value must satisfy before anything is computed over it (docs/mqtt.md,
 * "Commands"): a bounded nesting depth, and I-JSON (RFC 7493), which RFC 8785 builds on, so that
 * its canonical encoding exists. JSON.parse already bounds nothing but the size; a message that
 * fails here is malformed, whoever signed it, and is refused before its signature is checked.
 */

/**
 * How deeply objects and arrays may nest in a command, the command object itself being level 1.
 * The deepest real command (a permission set) needs 5; 32 leaves room and keeps every walk over a
 * command short.
 */
export const MAX_COMMAND_NESTING = 32;

/** The first problem found, naming where (`args.holders[3].name`), or undefined. */
export function jsonLimitProblem(value: unknown, maxNesting: number): string | undefined {
  const work: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: '', depth: 0 },
  ];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    const { path, depth } = item;
    const current = item.value;
    if (typeof current === 'string') {
      if (hasLoneSurrogate(current)) return `${where(path)}: a string with a lone surrogate`;
    } else if (typeof current === 'number') {
      // JSON.parse turns a number too large for a double (1e400) into Infinity.
      if (!Number.isFinite(current)) return `${where(path)}: a number out of range`;
    } else if (typeof current === 'object' && current !== null) {
      if (depth + 1 > maxNesting) {
        return `${where(path)}: nested deeper than ${maxNesting} levels of objects and arrays`;
      }
      if (Array.isArray(current)) {
        current.forEach((v, i) => work.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
      } else {
        for (const [key, v] of Object.entries(current)) {
          if (hasLoneSurrogate(key)) return `${where(path)}: a member name with a lone surrogate`;
          work.push({ value: v, path: path ? `${path}.${key}` : key, depth: depth + 1 });
        }
      }
    }
  }
  return undefined;
}

/** A path as a person reads it; a very deep one is shortened to its start. */
function where(path: string): string {
  if (path === '') return 'the payload';
  return truncate(path, 80, '…');
}
