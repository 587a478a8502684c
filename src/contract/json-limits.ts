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

/**
 * The first problem found, naming where (`args.holders[3].name`), or undefined. The walk keeps
 * one frame per open object or array, never one per value, and stops at the limit: checking a
 * 32 MiB permission set costs no memory beyond what JSON.parse already took.
 */
export function jsonLimitProblem(value: unknown, maxNesting: number): string | undefined {
  const stack: Frame[] = [];
  const problemAt = (what: string, label?: Label) => `${where(stack, label)}: ${what}`;
  const visit = (current: unknown, label?: Label): string | undefined => {
    if (typeof current === 'string') {
      return hasLoneSurrogate(current)
        ? problemAt('a string with a lone surrogate', label)
        : undefined;
    }
    // JSON.parse turns a number too large for a double (1e400) into Infinity.
    if (typeof current === 'number') {
      return Number.isFinite(current) ? undefined : problemAt('a number out of range', label);
    }
    if (typeof current !== 'object' || current === null) return undefined;
    if (stack.length + 1 > maxNesting) {
      return problemAt(`nested deeper than ${maxNesting} levels of objects and arrays`, label);
    }
    const keys = Array.isArray(current) ? undefined : Object.keys(current);
    stack.push({ container: current, keys, index: 0, label });
    return undefined;
  };
  let problem = visit(value);
  for (let frame = stack.at(-1); problem === undefined && frame; frame = stack.at(-1)) {
    const { container, keys } = frame;
    const length = keys ? keys.length : (container as unknown[]).length;
    if (frame.index === length) {
      stack.pop();
      continue;
    }
    const i = frame.index++;
    if (keys) {
      const key = keys[i]!;
      if (hasLoneSurrogate(key)) return problemAt('a member name with a lone surrogate');
      problem = visit((container as Record<string, unknown>)[key], key);
    } else {
      problem = visit((container as unknown[])[i], i);
    }
  }
  return problem;
}

interface Frame {
  container: object;
  keys: string[] | undefined;
  index: number;
  label: Label | undefined;
}

/** How a value's parent names it: a member name, or an array index. */
type Label = string | number;

/** A path as a person reads it (`args.x[1]`); a very deep one is shortened to its start. */
function where(stack: readonly Frame[], last: Label | undefined): string {
  const labels = [...stack.map((f) => f.label), last].filter((l) => l !== undefined);
  if (labels.length === 0) return 'the payload';
  const path = labels.reduce<string>(
    (p, l) => (typeof l === 'number' ? `${p}[${l}]` : p === '' ? l : `${p}.${l}`),
    '',
  );
  return truncate(path, 80, '…');
}
